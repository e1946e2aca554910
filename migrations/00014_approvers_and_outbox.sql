-- +goose Up
-- Approvers: accounts an administrator names to approve staff expense
-- claims for the organisation.
CREATE TABLE approvers (
    user_id  bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    named_by bigint REFERENCES users (id) ON DELETE SET NULL,
    named_at timestamptz NOT NULL DEFAULT now()
);

-- claim_decider_allowed is the one rule for who may approve or reject a
-- claim. Never the claimant, nor an account the claimant invited or added
-- to any project. A staff claim (anyone whose account is not a partner's,
-- leads included) only by an approver; a lay partner's claim by an
-- approver or one of the project's leads. Disabled accounts never.
-- +goose StatementBegin
CREATE FUNCTION claim_decider_allowed(actor bigint, claim bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce((
        SELECT c.user_id <> actor
           AND NOT EXISTS (SELECT 1 FROM users d WHERE d.id = actor AND d.disabled)
           AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = actor AND m.invited_by = c.user_id)
           AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.accepted_user_id = actor AND i.created_by = c.user_id)
           AND (EXISTS (SELECT 1 FROM approvers a WHERE a.user_id = actor)
                OR (cu.role = 'partner' AND EXISTS (
                    SELECT 1 FROM memberships m
                    WHERE m.project_id = c.project_id AND m.user_id = actor AND m.role = 'lead')))
        FROM claims c JOIN users cu ON cu.id = c.user_id
        WHERE c.id = claim), false)
$$;
-- +goose StatementEnd

-- The database refuses a decision by anyone the rule does not allow, even
-- if the application forgot to ask.
-- +goose StatementBegin
CREATE FUNCTION claims_check_decider() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.decided_by IS NOT NULL AND NEW.decided_by IS DISTINCT FROM OLD.decided_by
       AND NOT claim_decider_allowed(NEW.decided_by, NEW.id) THEN
        RAISE EXCEPTION 'account % may not decide claim %', NEW.decided_by, NEW.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER claims_decider BEFORE UPDATE OF decided_by ON claims
    FOR EACH ROW EXECUTE FUNCTION claims_check_decider();

-- The outbox knows which one-time link a message carries (by the hash of
-- its token, as the link's own table keeps it) and the link as written in
-- the message, so that the link can be hidden once it is spent, and
-- removed from the stored message once a mail server has delivered it.
ALTER TABLE emails
    ADD COLUMN token_kind text CHECK (token_kind IN ('sign_in', 'invitation')),
    ADD COLUMN token_hash bytea,
    ADD COLUMN link_url   text,
    ADD CONSTRAINT emails_token_whole CHECK ((token_kind IS NULL) = (token_hash IS NULL));

-- Each time an administrator opened a message in the outbox while its link
-- still worked. The person it was for is told at their next sign-in
-- (told_at), once.
CREATE TABLE outbox_reads (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email_id  bigint NOT NULL REFERENCES emails (id) ON DELETE CASCADE,
    reader_id bigint REFERENCES users (id) ON DELETE SET NULL,
    read_at   timestamptz NOT NULL DEFAULT now(),
    told_at   timestamptz
);
CREATE INDEX outbox_reads_untold_idx ON outbox_reads (email_id) WHERE told_at IS NULL;

-- +goose Down
DROP TABLE outbox_reads;
ALTER TABLE emails DROP CONSTRAINT emails_token_whole,
    DROP COLUMN token_kind, DROP COLUMN token_hash, DROP COLUMN link_url;
DROP TRIGGER claims_decider ON claims;
DROP FUNCTION claims_check_decider();
DROP FUNCTION claim_decider_allowed(bigint, bigint);
DROP TABLE approvers;
