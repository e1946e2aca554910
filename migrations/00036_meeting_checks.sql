-- +goose Up
-- After a meeting, each person recorded present answers three questions on
-- a five-point scale (1 disagree strongly .. 5 agree strongly): I was
-- listened to; I could take part; what we did today will make a difference.
-- One answer per person per meeting, which they may change. lay is their
-- group when they answered, as in principle_answers. Nobody but the author
-- reads a row: pages see only a group's figures once three have answered.
CREATE TABLE meeting_checks (
    meeting_id  bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id     bigint NOT NULL REFERENCES users (id),
    lay         boolean NOT NULL,
    listened    smallint NOT NULL CHECK (listened BETWEEN 1 AND 5),
    took_part   smallint NOT NULL CHECK (took_part BETWEEN 1 AND 5),
    difference  smallint NOT NULL CHECK (difference BETWEEN 1 AND 5),
    answered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX meeting_checks_figures_idx ON meeting_checks (meeting_id, lay) INCLUDE (listened, took_part, difference);

-- Only someone recorded present may answer, and only once the meeting has
-- ended. Not a foreign key to meeting_attendance: saving the register
-- again replaces its rows, which would take the answers with them. The
-- application asks first; the trigger refuses it even if a change forgets.
-- +goose StatementBegin
CREATE FUNCTION meeting_checks_after_attending() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM meeting_attendance WHERE meeting_id = NEW.meeting_id AND user_id = NEW.user_id) THEN
        RAISE EXCEPTION 'meeting_checks refused: not recorded present' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF EXISTS (SELECT 1 FROM meetings WHERE id = NEW.meeting_id AND ends_at > statement_timestamp()) THEN
        RAISE EXCEPTION 'meeting_checks refused: meeting % has not ended', NEW.meeting_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER meeting_checks_after_attending BEFORE INSERT OR UPDATE ON meeting_checks
    FOR EACH ROW EXECUTE FUNCTION meeting_checks_after_attending();

-- +goose Down
DROP TABLE meeting_checks;
DROP FUNCTION meeting_checks_after_attending();
