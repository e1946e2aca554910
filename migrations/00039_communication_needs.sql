-- +goose Up
-- Communication needs (the Accessible Information Standard, DCB1605): the
-- formats a person needs (screen reader, braille, audio besides the large
-- print and easy read already kept), emails in plain text only, and an
-- advocate to help them take part (BSL and language interpreters and a
-- carer are already kept). They are part of the support needs a person
-- tells one project: special-category data, read only by that project's
-- leads and facilitators, every read audited.
--
-- share_flags is the person's own choice to let a short tag ("Large
-- print") show beside their name where leads and facilitators act on it:
-- the member list and a meeting's papers. Nobody has chosen it yet, so it
-- starts off.
ALTER TABLE support_profiles
    ADD COLUMN screen_reader    boolean NOT NULL DEFAULT false,
    ADD COLUMN braille          boolean NOT NULL DEFAULT false,
    ADD COLUMN audio            boolean NOT NULL DEFAULT false,
    ADD COLUMN plain_text_email boolean NOT NULL DEFAULT false,
    ADD COLUMN advocate         boolean NOT NULL DEFAULT false,
    ADD COLUMN share_flags      boolean NOT NULL DEFAULT false;
-- The needs given before they were kept per project have the same shape,
-- so that a person can copy them into a project.
ALTER TABLE support_profiles_unplaced
    ADD COLUMN screen_reader    boolean NOT NULL DEFAULT false,
    ADD COLUMN braille          boolean NOT NULL DEFAULT false,
    ADD COLUMN audio            boolean NOT NULL DEFAULT false,
    ADD COLUMN plain_text_email boolean NOT NULL DEFAULT false,
    ADD COLUMN advocate         boolean NOT NULL DEFAULT false,
    ADD COLUMN share_flags      boolean NOT NULL DEFAULT false;

-- How to contact a member stays where taking part offline put it (the
-- membership's contact_way, phone and postal_address), now with text
-- messages, which need a phone number as calls do.
ALTER TABLE memberships DROP CONSTRAINT memberships_contact_way_check,
    ADD CONSTRAINT memberships_contact_way_check
        CHECK (contact_way IN ('email', 'phone', 'text', 'post', 'in_person'));

-- +goose Down
UPDATE memberships SET contact_way = 'phone' WHERE contact_way = 'text';
ALTER TABLE memberships DROP CONSTRAINT memberships_contact_way_check,
    ADD CONSTRAINT memberships_contact_way_check CHECK (contact_way IN ('email', 'phone', 'post', 'in_person'));
ALTER TABLE support_profiles_unplaced DROP COLUMN share_flags, DROP COLUMN advocate, DROP COLUMN plain_text_email,
    DROP COLUMN audio, DROP COLUMN braille, DROP COLUMN screen_reader;
ALTER TABLE support_profiles DROP COLUMN share_flags, DROP COLUMN advocate, DROP COLUMN plain_text_email,
    DROP COLUMN audio, DROP COLUMN braille, DROP COLUMN screen_reader;
