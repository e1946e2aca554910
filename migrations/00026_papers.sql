-- +goose Up
-- Papers: files for a meeting, or for one of its agenda items, each with
-- an optional large-print and easy-read version. The file itself is kept
-- here, as receipts are, so that backups, erasure and access stay in one
-- place; pages list papers without reading the bytes.

-- How many days before a meeting its papers are due ("a week before").
ALTER TABLE meetings ADD COLUMN papers_due_days smallint NOT NULL DEFAULT 7
    CHECK (papers_due_days BETWEEN 0 AND 60);

-- A paper can name only an item of its own meeting.
ALTER TABLE agenda_items ADD CONSTRAINT agenda_items_id_meeting_key UNIQUE (id, meeting_id);

CREATE TABLE papers (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    meeting_id     bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    -- The agenda item it is for; none for the whole meeting (and for a
    -- version, which belongs where its paper does). Removing the item
    -- leaves the paper on the meeting.
    agenda_item_id bigint,
    FOREIGN KEY (agenda_item_id, meeting_id) REFERENCES agenda_items (id, meeting_id)
        ON DELETE SET NULL (agenda_item_id),
    -- A large-print or easy-read version names the paper it is a version
    -- of, in the same meeting, and goes with it.
    version_of     bigint,
    version        text NOT NULL DEFAULT 'standard' CHECK (version IN ('standard', 'large_print', 'easy_read')),
    title          text NOT NULL CHECK (length(title) BETWEEN 1 AND 200)
                       CHECK (title !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]'),
    file_name      text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200)
                       CHECK (file_name !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029/\\]'),
    content_type   text NOT NULL CHECK (content_type IN ('application/pdf',
                       'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
                       'application/vnd.oasis.opendocument.text', 'text/plain; charset=utf-8',
                       'image/png', 'image/jpeg')),
    size           integer NOT NULL CHECK (size BETWEEN 1 AND 10485760),
    data           bytea NOT NULL CHECK (length(data) = size),
    added_by       bigint REFERENCES users (id),
    added_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (id, meeting_id),
    FOREIGN KEY (version_of, meeting_id) REFERENCES papers (id, meeting_id) ON DELETE CASCADE,
    CHECK ((version = 'standard') = (version_of IS NULL)),
    CHECK (version_of IS NULL OR agenda_item_id IS NULL),
    -- One large-print and one easy-read version of each paper.
    UNIQUE (version_of, version)
);
CREATE INDEX papers_meeting_idx ON papers (meeting_id, added_at, id);

-- +goose Down
DROP TABLE papers;
ALTER TABLE agenda_items DROP CONSTRAINT agenda_items_id_meeting_key;
ALTER TABLE meetings DROP COLUMN papers_due_days;
