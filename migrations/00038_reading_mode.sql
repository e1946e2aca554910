-- +goose Up
-- Each person's reading mode: 'easy_read' or 'standard' when they have
-- chosen, none when they have not (then easy read follows an easy read
-- need in any of their support profiles). Apart from support_profiles'
-- easy_read, which records the need itself.
ALTER TABLE users ADD COLUMN reading text CHECK (reading IN ('standard', 'easy_read'));

-- +goose Down
ALTER TABLE users DROP COLUMN reading;
