-- +goose Up
-- A meeting can be edited and cancelled. sequence counts its changes: the
-- calendar file carries it as SEQUENCE (with the same UID), so a calendar
-- that saved the meeting replaces it with the newer one. A cancelled
-- meeting is kept, shown as cancelled, with the reason if one was given.
ALTER TABLE meetings ADD COLUMN sequence integer NOT NULL DEFAULT 0 CHECK (sequence >= 0);
ALTER TABLE meetings ADD COLUMN cancelled_at timestamptz;
ALTER TABLE meetings ADD COLUMN cancel_reason text NOT NULL DEFAULT '' CHECK (length(cancel_reason) <= 1000);
ALTER TABLE meetings ADD CONSTRAINT meetings_reason_when_cancelled CHECK (cancelled_at IS NOT NULL OR cancel_reason = '');

-- Nobody replies to, or is recorded at, a cancelled meeting.
-- +goose StatementBegin
CREATE FUNCTION meeting_not_cancelled() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM meetings WHERE id = NEW.meeting_id AND cancelled_at IS NOT NULL) THEN
        RAISE EXCEPTION '% refused: meeting % is cancelled', TG_TABLE_NAME, NEW.meeting_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER meeting_replies_not_cancelled BEFORE INSERT OR UPDATE ON meeting_replies
    FOR EACH ROW EXECUTE FUNCTION meeting_not_cancelled();
CREATE TRIGGER meeting_attendance_not_cancelled BEFORE INSERT OR UPDATE ON meeting_attendance
    FOR EACH ROW EXECUTE FUNCTION meeting_not_cancelled();

-- The times of day a person can take part, as clock times the access plan
-- can check a meeting against ("not after 3pm"); the free-text times stay.
ALTER TABLE support_profiles ADD COLUMN not_before time;
ALTER TABLE support_profiles ADD COLUMN not_after time;
ALTER TABLE support_profiles ADD CONSTRAINT support_profiles_time_order
    CHECK (not_before IS NULL OR not_after IS NULL OR not_before < not_after);
ALTER TABLE support_profiles_unplaced ADD COLUMN not_before time;
ALTER TABLE support_profiles_unplaced ADD COLUMN not_after time;

-- Recording someone as present drafts their travel claim: a draft has no
-- amount until they (or a facilitator for them) fill it in and send it.
-- drafted_by is who recorded the attendance that made it (one per person
-- per meeting); submitted_by is who sent it, when not the claimant.
ALTER TABLE claims DROP CONSTRAINT claims_status_check;
ALTER TABLE claims ADD CONSTRAINT claims_status_check
    CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'exported'));
ALTER TABLE claims DROP CONSTRAINT claims_amount_pence_check;
ALTER TABLE claims ADD CONSTRAINT claims_amount_pence_check
    CHECK (amount_pence BETWEEN 1 AND 100000 OR (status = 'draft' AND amount_pence = 0));
ALTER TABLE claims ADD COLUMN drafted_by bigint REFERENCES users (id);
ALTER TABLE claims ADD COLUMN submitted_by bigint REFERENCES users (id);
ALTER TABLE claims ADD CONSTRAINT claims_draft_not_decided CHECK (status <> 'draft' OR decided_by IS NULL);
CREATE UNIQUE INDEX claims_one_travel_draft_per_meeting ON claims (meeting_id, user_id) WHERE drafted_by IS NOT NULL;

-- +goose Down
DROP INDEX claims_one_travel_draft_per_meeting;
DELETE FROM claims WHERE status = 'draft';
ALTER TABLE claims DROP CONSTRAINT claims_draft_not_decided;
ALTER TABLE claims DROP COLUMN submitted_by;
ALTER TABLE claims DROP COLUMN drafted_by;
ALTER TABLE claims DROP CONSTRAINT claims_amount_pence_check;
ALTER TABLE claims ADD CONSTRAINT claims_amount_pence_check CHECK (amount_pence BETWEEN 1 AND 100000);
ALTER TABLE claims DROP CONSTRAINT claims_status_check;
ALTER TABLE claims ADD CONSTRAINT claims_status_check CHECK (status IN ('submitted', 'approved', 'rejected', 'exported'));
ALTER TABLE support_profiles_unplaced DROP COLUMN not_after;
ALTER TABLE support_profiles_unplaced DROP COLUMN not_before;
ALTER TABLE support_profiles DROP CONSTRAINT support_profiles_time_order;
ALTER TABLE support_profiles DROP COLUMN not_after;
ALTER TABLE support_profiles DROP COLUMN not_before;
DROP TRIGGER meeting_attendance_not_cancelled ON meeting_attendance;
DROP TRIGGER meeting_replies_not_cancelled ON meeting_replies;
DROP FUNCTION meeting_not_cancelled();
ALTER TABLE meetings DROP CONSTRAINT meetings_reason_when_cancelled;
ALTER TABLE meetings DROP COLUMN cancel_reason;
ALTER TABLE meetings DROP COLUMN cancelled_at;
ALTER TABLE meetings DROP COLUMN sequence;
