-- +goose Up
-- What the organisers booked for one person for one meeting, beyond what
-- the venue has: the needs they have arranged (an interpreter, papers in
-- large print) and anything else in words ("a taxi collects you at 1:15pm").
-- The person's reminder says so. It tells of their needs, so it is theirs
-- and their facilitators' alone, and it goes when they are erased.
CREATE TABLE meeting_arrangements (
    meeting_id  bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    needs       text[] NOT NULL DEFAULT '{}',
    note        text NOT NULL DEFAULT '' CHECK (length(note) <= 300),
    arranged_by bigint REFERENCES users (id) ON DELETE SET NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (meeting_id, user_id),
    CHECK (cardinality(needs) > 0 OR note <> '')
);

-- +goose Down
DROP TABLE meeting_arrangements;
