-- +goose Up
-- Things a facilitator or lead records on a member's behalf, with their
-- agreement: the row still belongs to the member (they are its author, voter,
-- claimant...), and these two columns say who entered it and how the member
-- told them. Both are empty for a person's own entry; when the person later
-- changes the row themselves, they are emptied again.
ALTER TABLE proposals
    ADD COLUMN recorded_by bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN recorded_how text CHECK (recorded_how IN ('phone', 'in_person', 'post', 'meeting'));
ALTER TABLE comments
    ADD COLUMN recorded_by bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN recorded_how text CHECK (recorded_how IN ('phone', 'in_person', 'post', 'meeting'));
ALTER TABLE votes
    ADD COLUMN recorded_by bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN recorded_how text CHECK (recorded_how IN ('phone', 'in_person', 'post', 'meeting'));
ALTER TABLE meeting_replies
    ADD COLUMN recorded_by bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN recorded_how text CHECK (recorded_how IN ('phone', 'in_person', 'post', 'meeting'));
ALTER TABLE purpose_acknowledgements
    ADD COLUMN recorded_by bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN recorded_how text CHECK (recorded_how IN ('phone', 'in_person', 'post', 'meeting'));
-- The 4Rs row is written by a facilitator anyway; these say who recorded the
-- member's agreement to it.
ALTER TABLE four_rs
    ADD COLUMN recorded_by bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN recorded_how text CHECK (recorded_how IN ('phone', 'in_person', 'post', 'meeting'));
ALTER TABLE support_profiles
    ADD COLUMN recorded_by bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN recorded_how text CHECK (recorded_how IN ('phone', 'in_person', 'post', 'meeting'));
ALTER TABLE claims
    ADD COLUMN recorded_by bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN recorded_how text CHECK (recorded_how IN ('phone', 'in_person', 'post', 'meeting'));
ALTER TABLE stage_sign_offs
    ADD COLUMN recorded_by bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN recorded_how text CHECK (recorded_how IN ('phone', 'in_person', 'post', 'meeting'));

-- What was recorded for a person, for their "Recorded for you" list.
CREATE INDEX proposals_recorded_idx ON proposals (author_id) WHERE recorded_by IS NOT NULL;
CREATE INDEX comments_recorded_idx ON comments (author_id) WHERE recorded_by IS NOT NULL;
CREATE INDEX votes_recorded_idx ON votes (user_id) WHERE recorded_by IS NOT NULL;

-- Whoever entered a claim for someone does not decide it too: the one rule
-- for deciders (00014) gains that line.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION claim_decider_allowed(actor bigint, claim bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce((
        SELECT c.user_id <> actor
           AND c.recorded_by IS DISTINCT FROM actor
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

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION claim_decider_allowed(actor bigint, claim bigint) RETURNS boolean
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
DROP INDEX votes_recorded_idx;
DROP INDEX comments_recorded_idx;
DROP INDEX proposals_recorded_idx;
ALTER TABLE stage_sign_offs DROP COLUMN recorded_how, DROP COLUMN recorded_by;
ALTER TABLE claims DROP COLUMN recorded_how, DROP COLUMN recorded_by;
ALTER TABLE support_profiles DROP COLUMN recorded_how, DROP COLUMN recorded_by;
ALTER TABLE four_rs DROP COLUMN recorded_how, DROP COLUMN recorded_by;
ALTER TABLE purpose_acknowledgements DROP COLUMN recorded_how, DROP COLUMN recorded_by;
ALTER TABLE meeting_replies DROP COLUMN recorded_how, DROP COLUMN recorded_by;
ALTER TABLE votes DROP COLUMN recorded_how, DROP COLUMN recorded_by;
ALTER TABLE comments DROP COLUMN recorded_how, DROP COLUMN recorded_by;
ALTER TABLE proposals DROP COLUMN recorded_how, DROP COLUMN recorded_by;
