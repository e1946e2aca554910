-- +goose Up
-- The language a person wants us to use: for the pages when they are signed
-- in, and for every email we write to them. NULL until they choose; we then
-- write in English and show the pages in the browser's language. Welsh
-- Language Standards: we ask, record the answer, and correspond in it.
ALTER TABLE users ADD COLUMN language text CHECK (language IN ('en', 'cy'));

-- +goose Down
ALTER TABLE users DROP COLUMN language;
