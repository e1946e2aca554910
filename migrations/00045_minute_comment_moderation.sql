-- +goose Up
-- A lead or facilitator may hide a comment on published minutes, with why,
-- and show it again, as they may a comment on an idea: the comment's own
-- columns say whether it is hidden now, and each hiding and showing is
-- kept with its reason.
ALTER TABLE minute_comments
    ADD COLUMN hidden_reason text CHECK (length(hidden_reason) <= 2000),
    ADD COLUMN hidden_by bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN hidden_at timestamptz,
    ADD CONSTRAINT hidden_says_why CHECK ((hidden_at IS NULL) = (hidden_reason IS NULL)
                                         AND (hidden_at IS NULL OR length(btrim(hidden_reason)) > 0));

CREATE TABLE minute_comment_moderations (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    comment_id bigint NOT NULL REFERENCES minute_comments (id) ON DELETE CASCADE,
    hidden     boolean NOT NULL, -- true: hidden; false: shown again
    reason     text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 2000),
    by_id      bigint REFERENCES users (id) ON DELETE SET NULL,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX minute_comment_moderations_comment_idx ON minute_comment_moderations (comment_id, id);

-- +goose Down
DROP TABLE minute_comment_moderations;
ALTER TABLE minute_comments DROP CONSTRAINT hidden_says_why,
    DROP COLUMN hidden_at, DROP COLUMN hidden_by, DROP COLUMN hidden_reason;
