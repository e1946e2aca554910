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

-- +goose Down
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
