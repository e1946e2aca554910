-- +goose Up
-- Attendance opens when a meeting starts: before then nobody knows who
-- came, and the involvement payments that attendance makes would be dated
-- in the future. The application asks first; these triggers refuse it
-- even if a later change forgets to ask. They are triggers because a
-- CHECK may read neither the clock nor another table. The statement's
-- time is used rather than the transaction's, so that a long transaction
-- sees the clock move.

-- Attendance wrongly recorded before this release for meetings that have
-- not started is removed, with the payments it made that nobody has
-- decided yet; the organiser records it again once the meeting starts.
-- Payments already approved or sent to finance are left as decided.
DELETE FROM claims c USING meetings m
WHERE c.meeting_id = m.id AND m.starts_at > statement_timestamp()
  AND c.category IN ('payment_short', 'payment_long') AND c.status = 'submitted';
DELETE FROM meeting_attendance a USING meetings m
WHERE a.meeting_id = m.id AND m.starts_at > statement_timestamp();
UPDATE meetings SET attendance_taken = false WHERE attendance_taken AND starts_at > statement_timestamp();

-- +goose StatementBegin
CREATE FUNCTION refuse_before_meeting_starts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% refused: %', TG_TABLE_NAME, TG_ARGV[0] USING ERRCODE = 'check_violation';
END
$$;
-- +goose StatementEnd

CREATE TRIGGER meetings_attendance_after_start BEFORE INSERT OR UPDATE OF attendance_taken, starts_at ON meetings
    FOR EACH ROW WHEN (NEW.attendance_taken AND NEW.starts_at > statement_timestamp())
    EXECUTE FUNCTION refuse_before_meeting_starts('attendance taken for a meeting that has not started');

CREATE TRIGGER claims_payment_not_in_future BEFORE INSERT OR UPDATE OF incurred_on, category ON claims
    FOR EACH ROW WHEN (NEW.category IN ('payment_short', 'payment_long')
                       AND NEW.incurred_on > (statement_timestamp() AT TIME ZONE 'Europe/London')::date)
    EXECUTE FUNCTION refuse_before_meeting_starts('an involvement payment dated in the future');

-- +goose StatementBegin
CREATE FUNCTION meeting_attendance_after_start() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM meetings WHERE id = NEW.meeting_id AND starts_at > statement_timestamp()) THEN
        RAISE EXCEPTION 'meeting_attendance refused: meeting % has not started', NEW.meeting_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER meeting_attendance_after_start BEFORE INSERT OR UPDATE ON meeting_attendance
    FOR EACH ROW EXECUTE FUNCTION meeting_attendance_after_start();

-- +goose Down
DROP TRIGGER meeting_attendance_after_start ON meeting_attendance;
DROP FUNCTION meeting_attendance_after_start();
DROP TRIGGER claims_payment_not_in_future ON claims;
DROP TRIGGER meetings_attendance_after_start ON meetings;
DROP FUNCTION refuse_before_meeting_starts();
