-- +goose Up
-- "Ideas to vote on" on each member's project page reads a project's open
-- ideas, oldest first, until it has ten the member has not voted on. The
-- project's index of all ideas, newest first, made it read closed ideas
-- too and sort what it found: 0.17 to 0.29 ms a view on the busiest
-- project, against 0.05 ms with this index.
CREATE INDEX proposals_open_idx ON proposals (project_id, created_at, id) WHERE status = 'open';

-- +goose Down
DROP INDEX proposals_open_idx;
