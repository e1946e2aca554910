-- +goose Up
-- Taking part offline: a member may take part by phone, by post or in
-- person only, with no email address. An account's email becomes optional
-- (the unique index on lower(email) still holds for those who have one),
-- and so does an invitation's, for the demo's and group records copied from
-- a membership.
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
ALTER TABLE invitations ALTER COLUMN email DROP NOT NULL;

-- How to reach a member, per membership: personal data, shown only to the
-- project's leads and facilitators and the person, and cleared on erasure.
-- agreed_way says how a member added by a facilitator (joined_on_behalf_by)
-- gave their agreement to take part.
ALTER TABLE memberships
    ADD COLUMN contact_way text NOT NULL DEFAULT 'email'
        CHECK (contact_way IN ('email', 'phone', 'post', 'in_person')),
    ADD COLUMN phone text NOT NULL DEFAULT '' CHECK (length(phone) <= 40),
    ADD COLUMN postal_address text NOT NULL DEFAULT '' CHECK (length(postal_address) <= 500),
    ADD COLUMN agreed_way text CHECK (agreed_way IN ('phone', 'post', 'in_person'));

-- An invitation a facilitator accepted for the person after a phone call.
ALTER TABLE invitations
    ADD COLUMN accepted_by bigint REFERENCES users (id) ON DELETE SET NULL,
    ADD COLUMN accepted_way text CHECK (accepted_way IN ('phone', 'post', 'in_person'));

-- Short codes printed on a letter, for a member without email to join
-- online later: only a hash is kept, a code expires, is used once, and a
-- new letter's code replaces the last one.
CREATE TABLE join_codes (
    code_hash  bytea PRIMARY KEY,
    project_id bigint NOT NULL,
    user_id    bigint NOT NULL,
    created_by bigint REFERENCES users (id) ON DELETE SET NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (project_id, user_id) REFERENCES memberships (project_id, user_id) ON DELETE CASCADE
);
CREATE INDEX join_codes_member_idx ON join_codes (project_id, user_id);

-- +goose Down
DROP TABLE join_codes;
ALTER TABLE invitations DROP COLUMN accepted_way, DROP COLUMN accepted_by;
ALTER TABLE memberships DROP COLUMN agreed_way, DROP COLUMN postal_address, DROP COLUMN phone, DROP COLUMN contact_way;
UPDATE invitations SET email = 'no-email-' || id || '@invalid.invalid' WHERE email IS NULL;
UPDATE users SET email = 'no-email-' || id || '@invalid.invalid' WHERE email IS NULL;
ALTER TABLE invitations ALTER COLUMN email SET NOT NULL;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
