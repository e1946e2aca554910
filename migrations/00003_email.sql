-- +goose Up
-- Every email the application sends. A row is written in the same
-- transaction as the change that causes it, with a queue job to deliver it;
-- with no SMTP server configured, delivery means landing in the outbox that
-- administrators read.
CREATE TABLE emails (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    to_address    text NOT NULL,
    to_name       text NOT NULL DEFAULT '',
    subject       text NOT NULL,
    text_body     text NOT NULL,
    html_body     text NOT NULL,
    kind          text NOT NULL,
    status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'outbox', 'failed')),
    attempts      integer NOT NULL DEFAULT 0,
    last_error    text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    delivered_at  timestamptz
);
CREATE INDEX emails_created_idx ON emails (created_at DESC);

-- The audit trail's row trigger cannot stop TRUNCATE; this one does.
CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- +goose Down
DROP TRIGGER audit_events_no_truncate ON audit_events;
DROP TABLE emails;
