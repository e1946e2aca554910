-- +goose Up
-- A meeting's minutes: drafted by a facilitator (only leads and
-- facilitators see a draft), then published to the members, who may
-- comment on them. One row per meeting, made when the first note is saved.
CREATE TABLE meeting_minutes (
    meeting_id   bigint PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
    status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    published_at timestamptz,
    published_by bigint REFERENCES users (id) ON DELETE SET NULL,
    CHECK ((status = 'published') = (published_at IS NOT NULL))
);

-- What was discussed under an agenda item, and the decisions taken.
CREATE TABLE agenda_item_minutes (
    agenda_item_id bigint PRIMARY KEY REFERENCES agenda_items (id) ON DELETE CASCADE,
    discussion     text NOT NULL DEFAULT '' CHECK (length(discussion) <= 20000),
    decisions      text NOT NULL DEFAULT '' CHECK (length(decisions) <= 20000)
);

-- Members' comments on published minutes.
CREATE TABLE minute_comments (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id bigint NOT NULL REFERENCES meeting_minutes (meeting_id) ON DELETE CASCADE,
    author_id  bigint REFERENCES users (id) ON DELETE SET NULL,
    body       text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 5000),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX minute_comments_meeting_idx ON minute_comments (meeting_id, id);

-- An answer given to an idea at a meeting (a decision in its minutes),
-- and an action minuted at one: the idea then says where it was decided.
ALTER TABLE proposal_answers
    ADD COLUMN meeting_id bigint REFERENCES meetings (id) ON DELETE SET NULL,
    ADD COLUMN agenda_item_id bigint REFERENCES agenda_items (id) ON DELETE SET NULL;
ALTER TABLE action_items
    ADD COLUMN agenda_item_id bigint REFERENCES agenda_items (id) ON DELETE SET NULL;
CREATE INDEX proposal_answers_meeting_idx ON proposal_answers (meeting_id) WHERE meeting_id IS NOT NULL;
CREATE INDEX action_items_agenda_item_idx ON action_items (agenda_item_id) WHERE agenda_item_id IS NOT NULL;

-- +goose Down
DROP INDEX action_items_agenda_item_idx;
DROP INDEX proposal_answers_meeting_idx;
ALTER TABLE action_items DROP COLUMN agenda_item_id;
ALTER TABLE proposal_answers DROP COLUMN agenda_item_id, DROP COLUMN meeting_id;
DROP TABLE minute_comments;
DROP TABLE agenda_item_minutes;
DROP TABLE meeting_minutes;
