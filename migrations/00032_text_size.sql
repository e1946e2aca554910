-- +goose Up
-- Each person's text size: 'larger' or 'standard' when they have chosen,
-- none when they have not (then larger text follows a large-print need in
-- any of their support profiles).
ALTER TABLE users ADD COLUMN text_size text CHECK (text_size IN ('standard', 'larger'));

-- +goose Down
ALTER TABLE users DROP COLUMN text_size;
