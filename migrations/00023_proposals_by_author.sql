-- +goose Up
-- A person's own ideas, on every view of a project's page ("Your ideas" and
-- their actions): without this the planner read every project's ideas
-- (40 ms on the bench's busiest project, twice a view).
CREATE INDEX proposals_author_idx ON proposals (author_id, project_id, created_at DESC);

-- +goose Down
DROP INDEX proposals_author_idx;
