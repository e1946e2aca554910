-- +goose Up
-- A project's public page, off until a lead publishes it. The slug stays
-- with the project, so a published address keeps working.
ALTER TABLE projects ADD COLUMN public_slug text UNIQUE CHECK (public_slug ~ '^[a-z0-9-]{3,80}$');
ALTER TABLE projects ADD COLUMN published boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE projects DROP COLUMN published;
ALTER TABLE projects DROP COLUMN public_slug;
