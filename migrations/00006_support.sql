-- +goose Up
-- Step 5, support. A person's support profile is special-category data:
-- only they, and the leads and facilitators of their projects, may read it,
-- and every read by someone else is audited.
CREATE TABLE support_profiles (
    user_id              bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    large_print          boolean NOT NULL DEFAULT false,
    easy_read            boolean NOT NULL DEFAULT false,
    bsl_interpreter      boolean NOT NULL DEFAULT false,
    language_interpreter text NOT NULL DEFAULT '' CHECK (length(language_interpreter) <= 100),
    hearing_loop         boolean NOT NULL DEFAULT false,
    step_free            boolean NOT NULL DEFAULT false,
    accessible_toilet    boolean NOT NULL DEFAULT false,
    breaks               boolean NOT NULL DEFAULT false,
    good_times           text NOT NULL DEFAULT '' CHECK (length(good_times) <= 1000),
    bad_times            text NOT NULL DEFAULT '' CHECK (length(bad_times) <= 1000),
    carer_attending      boolean NOT NULL DEFAULT false,
    dietary              text NOT NULL DEFAULT '' CHECK (length(dietary) <= 1000),
    other                text NOT NULL DEFAULT '' CHECK (length(other) <= 2000),
    updated_at           timestamptz NOT NULL DEFAULT now()
);

-- A lay partner paired with a staff member as their buddy.
CREATE TABLE buddies (
    project_id    bigint NOT NULL,
    partner_id    bigint NOT NULL,
    buddy_id      bigint NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, partner_id),
    FOREIGN KEY (project_id, partner_id) REFERENCES memberships (project_id, user_id) ON DELETE CASCADE,
    FOREIGN KEY (project_id, buddy_id) REFERENCES memberships (project_id, user_id) ON DELETE CASCADE,
    CHECK (partner_id <> buddy_id)
);

CREATE TABLE meetings (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id        bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    starts_at         timestamptz NOT NULL,
    ends_at           timestamptz NOT NULL,
    venue             text NOT NULL DEFAULT '' CHECK (length(venue) <= 500),
    online_link       text NOT NULL DEFAULT '' CHECK (length(online_link) <= 500),
    step_free         boolean NOT NULL DEFAULT false,
    hearing_loop      boolean NOT NULL DEFAULT false,
    accessible_toilet boolean NOT NULL DEFAULT false,
    parking           boolean NOT NULL DEFAULT false,
    notes             text NOT NULL DEFAULT '' CHECK (length(notes) <= 20000),
    attendance_taken  boolean NOT NULL DEFAULT false,
    created_by        bigint REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at),
    CHECK (venue <> '' OR online_link <> '')
);
CREATE INDEX meetings_project_idx ON meetings (project_id, starts_at);

-- Each member's reply, and who was there.
CREATE TABLE meeting_replies (
    meeting_id bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id),
    attending  boolean NOT NULL,
    replied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (meeting_id, user_id)
);
CREATE TABLE meeting_attendance (
    meeting_id bigint NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id),
    PRIMARY KEY (meeting_id, user_id)
);

-- +goose Down
DROP TABLE meeting_attendance;
DROP TABLE meeting_replies;
DROP TABLE meetings;
DROP TABLE buddies;
DROP TABLE support_profiles;
