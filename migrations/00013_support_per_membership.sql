-- +goose Up
-- Support needs are health data. They belong to a project membership, not
-- to the account: what a person tells one project is seen only by that
-- project's leads and facilitators. Leaving a project, or being removed,
-- removes what was told to it (ON DELETE CASCADE from memberships).
ALTER TABLE support_profiles RENAME TO support_profiles_old;
ALTER TABLE support_profiles_old RENAME CONSTRAINT support_profiles_pkey TO support_profiles_old_pkey;
CREATE TABLE support_profiles (
    project_id           bigint NOT NULL,
    user_id              bigint NOT NULL,
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
    updated_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, user_id),
    FOREIGN KEY (project_id, user_id) REFERENCES memberships (project_id, user_id) ON DELETE CASCADE
);
CREATE INDEX support_profiles_user_idx ON support_profiles (user_id);

-- Moving the old per-account profiles. Saves were not recorded in the audit
-- trail before this migration (only reads were), so there is no record of
-- which project a person was in when they wrote their profile. We chose:
--   * a person with exactly one membership: the profile goes to that
--     project, the only one it can have been written for;
--   * a person in several projects: the profile goes to none of them, so
--     nothing is shown to a project the person did not tell. It is kept,
--     for that person alone, in support_profiles_unplaced; their support page
--     offers to copy it into a project of their choosing (and it is in their
--     data download, and erased with them).
--   * a person in no project: the same, kept for them alone.
INSERT INTO support_profiles (project_id, user_id, large_print, easy_read, bsl_interpreter, language_interpreter,
    hearing_loop, step_free, accessible_toilet, breaks, good_times, bad_times, carer_attending, dietary, other,
    updated_at)
SELECT m.project_id, sp.user_id, sp.large_print, sp.easy_read, sp.bsl_interpreter, sp.language_interpreter,
    sp.hearing_loop, sp.step_free, sp.accessible_toilet, sp.breaks, sp.good_times, sp.bad_times,
    sp.carer_attending, sp.dietary, sp.other, sp.updated_at
FROM support_profiles_old sp
JOIN memberships m ON m.user_id = sp.user_id
WHERE (SELECT count(*) FROM memberships o WHERE o.user_id = sp.user_id) = 1;

CREATE TABLE support_profiles_unplaced (LIKE support_profiles INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE support_profiles_unplaced DROP COLUMN project_id;
ALTER TABLE support_profiles_unplaced ADD PRIMARY KEY (user_id);
ALTER TABLE support_profiles_unplaced ADD FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE;

INSERT INTO support_profiles_unplaced (user_id, large_print, easy_read, bsl_interpreter, language_interpreter,
    hearing_loop, step_free, accessible_toilet, breaks, good_times, bad_times, carer_attending, dietary, other,
    updated_at)
SELECT sp.user_id, sp.large_print, sp.easy_read, sp.bsl_interpreter, sp.language_interpreter,
    sp.hearing_loop, sp.step_free, sp.accessible_toilet, sp.breaks, sp.good_times, sp.bad_times,
    sp.carer_attending, sp.dietary, sp.other, sp.updated_at
FROM support_profiles_old sp
WHERE (SELECT count(*) FROM memberships o WHERE o.user_id = sp.user_id) <> 1;

DROP TABLE support_profiles_old;

-- Nobody joins a project without agreeing. A membership made by accepting
-- an invitation is the person's own agreement; joined_on_behalf_by records
-- the facilitator who took a person's agreement offline and accepted for
-- them (NULL: the person agreed themselves).
ALTER TABLE memberships ADD COLUMN joined_on_behalf_by bigint REFERENCES users (id) ON DELETE SET NULL;

-- +goose Down
ALTER TABLE memberships DROP COLUMN joined_on_behalf_by;
ALTER TABLE support_profiles RENAME TO support_profiles_new;
ALTER TABLE support_profiles_new RENAME CONSTRAINT support_profiles_pkey TO support_profiles_new_pkey;
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
-- Going back keeps each person's most recently changed needs.
INSERT INTO support_profiles (user_id, large_print, easy_read, bsl_interpreter, language_interpreter, hearing_loop,
    step_free, accessible_toilet, breaks, good_times, bad_times, carer_attending, dietary, other, updated_at)
SELECT DISTINCT ON (user_id) user_id, large_print, easy_read, bsl_interpreter, language_interpreter, hearing_loop,
    step_free, accessible_toilet, breaks, good_times, bad_times, carer_attending, dietary, other, updated_at
FROM (SELECT user_id, large_print, easy_read, bsl_interpreter, language_interpreter, hearing_loop, step_free,
             accessible_toilet, breaks, good_times, bad_times, carer_attending, dietary, other, updated_at
      FROM support_profiles_new
      UNION ALL
      SELECT user_id, large_print, easy_read, bsl_interpreter, language_interpreter, hearing_loop, step_free,
             accessible_toilet, breaks, good_times, bad_times, carer_attending, dietary, other, updated_at
      FROM support_profiles_unplaced) s
ORDER BY user_id, updated_at DESC;
DROP TABLE support_profiles_unplaced;
DROP TABLE support_profiles_new;
