-- +goose Up
-- Each create form carries a token made when the page was drawn. The first
-- time a person sends it, the token is kept here with the record it made;
-- the same form sent again (a double click, a refresh, a slow connection)
-- finds the token and makes nothing new. The primary key is the rule
-- behind it: two sends at the same moment cannot both make a record.
CREATE TABLE form_tokens (
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token      text NOT NULL CHECK (length(token) BETWEEN 1 AND 200),
    kind       text NOT NULL,
    record_id  bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, token)
);

-- +goose Down
DROP TABLE form_tokens;
