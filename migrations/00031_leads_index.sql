-- +goose Up
-- A project's leads, named on every member's project page ("who to
-- contact"): without this each view read all of a project's memberships.
CREATE INDEX memberships_leads_idx ON memberships (project_id) WHERE role = 'lead';

-- +goose Down
DROP INDEX memberships_leads_idx;
