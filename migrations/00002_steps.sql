-- +goose Up
-- A step completed by a lead while the project had no lay partner is
-- provisional until a lay partner co-signs it.
ALTER TABLE stages ADD COLUMN provisional boolean NOT NULL DEFAULT false;

-- Who signed a step off, in which project role. The role is kept as it was
-- at signing, so a later change of role does not rewrite history.
CREATE TABLE stage_sign_offs (
    project_id bigint NOT NULL,
    step       smallint NOT NULL,
    user_id    bigint NOT NULL REFERENCES users (id),
    role       text NOT NULL CHECK (role IN ('lead', 'lay_partner')),
    signed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, step, user_id),
    FOREIGN KEY (project_id, step) REFERENCES stages (project_id, step) ON DELETE CASCADE
);

-- Step 1, identify: the groups the change will affect.
CREATE TABLE stakeholder_groups (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id       bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description      text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    affected         text NOT NULL CHECK (affected IN ('direct', 'indirect')),
    reach            text NOT NULL DEFAULT '' CHECK (length(reach) <= 2000),
    included         boolean NOT NULL,
    exclusion_reason text NOT NULL DEFAULT '' CHECK (length(exclusion_reason) <= 2000),
    version          integer NOT NULL DEFAULT 1,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    -- Inclusion is balanced against practicality, and the balance is written
    -- down: a group left out must say why.
    CONSTRAINT excluded_groups_have_a_reason CHECK (included OR length(btrim(exclusion_reason)) > 0)
);
CREATE INDEX stakeholder_groups_project_idx ON stakeholder_groups (project_id, id);

-- Step 3, be clear: the purpose statement, one row per version. Earlier
-- versions stay readable.
CREATE TABLE purpose_versions (
    project_id        bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    version           integer NOT NULL CHECK (version > 0),
    purpose           text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 5000),
    expectations      text NOT NULL CHECK (length(expectations) <= 5000),
    fixed             text NOT NULL CHECK (length(fixed) <= 5000),
    open_to_change    text NOT NULL CHECK (length(open_to_change) <= 5000),
    contributions_use text NOT NULL CHECK (length(contributions_use) <= 5000),
    expenses_policy   text NOT NULL CHECK (length(expenses_policy) <= 5000),
    created_by        bigint REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, version)
);

CREATE TABLE purpose_acknowledgements (
    project_id      bigint NOT NULL,
    version         integer NOT NULL,
    user_id         bigint NOT NULL REFERENCES users (id),
    acknowledged_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, version, user_id),
    FOREIGN KEY (project_id, version) REFERENCES purpose_versions (project_id, version) ON DELETE CASCADE
);

-- Step 4, choose: the level, stage and scope of engagement, and methods.
CREATE TABLE approaches (
    project_id      bigint PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    level           text NOT NULL CHECK (level IN ('inform', 'consult', 'engage', 'co_design', 'co_produce')),
    level_rationale text NOT NULL DEFAULT '' CHECK (length(level_rationale) <= 2000),
    stage           text NOT NULL CHECK (stage IN ('co_commissioning', 'co_design', 'co_delivery', 'co_assessment')),
    stage_rationale text NOT NULL DEFAULT '' CHECK (length(stage_rationale) <= 2000),
    scope           text NOT NULL CHECK (scope IN ('strategic', 'system', 'individual')),
    scope_rationale text NOT NULL DEFAULT '' CHECK (length(scope_rationale) <= 2000),
    version         integer NOT NULL DEFAULT 1,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE approach_methods (
    project_id bigint NOT NULL REFERENCES approaches (project_id) ON DELETE CASCADE,
    method     text NOT NULL CHECK (method IN ('forum', 'focus_group', 'interview', 'questionnaire', 'workshop', 'online_discussion')),
    rationale  text NOT NULL CHECK (length(rationale) BETWEEN 1 AND 2000),
    PRIMARY KEY (project_id, method)
);

-- The level of involvement each member is willing to offer.
CREATE TABLE member_involvement (
    project_id bigint NOT NULL,
    user_id    bigint NOT NULL,
    level      text NOT NULL CHECK (level IN ('inform', 'consult', 'engage', 'co_design', 'co_produce')),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, user_id),
    FOREIGN KEY (project_id, user_id) REFERENCES memberships (project_id, user_id) ON DELETE CASCADE
);

-- Step 7, understand: each member's role, remit, relationships and
-- responsibility, written by a lead or facilitator and acknowledged by the
-- member (the version they read).
CREATE TABLE four_rs (
    project_id           bigint NOT NULL,
    user_id              bigint NOT NULL,
    role_text            text NOT NULL CHECK (length(role_text) BETWEEN 1 AND 2000),
    remit                text NOT NULL CHECK (length(remit) BETWEEN 1 AND 2000),
    relationships        text NOT NULL CHECK (length(relationships) BETWEEN 1 AND 2000),
    responsibility       text NOT NULL CHECK (length(responsibility) BETWEEN 1 AND 2000),
    version              integer NOT NULL DEFAULT 1,
    written_by           bigint REFERENCES users (id),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    acknowledged_version integer,
    acknowledged_at      timestamptz,
    PRIMARY KEY (project_id, user_id),
    FOREIGN KEY (project_id, user_id) REFERENCES memberships (project_id, user_id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE four_rs;
DROP TABLE member_involvement;
DROP TABLE approach_methods;
DROP TABLE approaches;
DROP TABLE purpose_acknowledgements;
DROP TABLE purpose_versions;
DROP TABLE stakeholder_groups;
DROP TABLE stage_sign_offs;
ALTER TABLE stages DROP COLUMN provisional;
