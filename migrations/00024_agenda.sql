-- +goose Up
-- A meeting's agenda: items in order, each with a title, a time of day, who
-- leads it and the ideas it will discuss. Papers and minutes hang off these
-- items, so the table comes first and alone.
CREATE TABLE agenda_items (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    position   integer NOT NULL CHECK (position > 0),
    title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 200)
                   CHECK (title !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]'),
    -- The time of day the item starts (the meeting's own date); none for an
    -- agenda without times.
    starts_at  time,
    -- Who leads it: a member, or nobody named yet. A person erased from
    -- Coproduce leaves the item without a name rather than taking it away.
    led_by     bigint REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (meeting_id, position) DEFERRABLE INITIALLY DEFERRED
);

-- The ideas an item will discuss (and, once minuted, decide).
CREATE TABLE agenda_item_ideas (
    agenda_item_id bigint NOT NULL REFERENCES agenda_items (id) ON DELETE CASCADE,
    proposal_id    bigint NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    PRIMARY KEY (agenda_item_id, proposal_id)
);
CREATE INDEX agenda_item_ideas_proposal_idx ON agenda_item_ideas (proposal_id);

-- +goose Down
DROP TABLE agenda_item_ideas;
DROP TABLE agenda_items;
