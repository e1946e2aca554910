-- +goose Up
-- A discussion is read a page of threads at a time: the top-level comments
-- of an idea in order, and the replies to those on the page.
CREATE INDEX comments_threads_idx ON comments (proposal_id, id) WHERE parent_id IS NULL;
CREATE INDEX comments_replies_idx ON comments (parent_id, id) WHERE parent_id IS NOT NULL;

-- +goose Down
DROP INDEX comments_replies_idx;
DROP INDEX comments_threads_idx;
