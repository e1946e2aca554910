-- +goose Up
-- Evaluate ("Did it work?"): the readiness check a lead answers, and the
-- outcomes partners define, agree and measure.

-- A readiness check: a lead's answers to the "do co-production if / don't
-- if" statements at one moment. Every save is a new check, so earlier ones
-- can be read again; the newest is the one that counts.
CREATE TABLE readiness_checks (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id  bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    answered_by bigint NOT NULL REFERENCES users (id),
    answered_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX readiness_checks_project_idx ON readiness_checks (project_id, id DESC);

-- One answer per statement per check. The statements themselves are words
-- in the catalogue, named by a short key.
CREATE TABLE readiness_answers (
    check_id  bigint NOT NULL REFERENCES readiness_checks (id) ON DELETE CASCADE,
    statement text NOT NULL CHECK (statement ~ '^[a-z_]{1,40}$'),
    answer    text NOT NULL CHECK (answer IN ('agree', 'not_sure', 'disagree')),
    note      text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    PRIMARY KEY (check_id, statement)
);

-- An outcome that matters to partners ("fewer missed visits"), proposed by
-- any member, answered by a lead, and once agreed measured.
CREATE TABLE outcomes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id  bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    proposed_by bigint REFERENCES users (id),
    title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200)
                    CHECK (title !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]'),
    why         text NOT NULL DEFAULT '' CHECK (length(why) <= 5000),
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- The lead's answer. Whichever way it goes, it says why: partners are
    -- owed a reason for an outcome agreed as much as for one turned down.
    decision    text CHECK (decision IN ('agreed', 'not_agreed')),
    reason      text NOT NULL DEFAULT '' CHECK (length(reason) <= 5000),
    decided_by  bigint REFERENCES users (id),
    decided_at  timestamptz,
    -- How an agreed outcome is measured, and where it starts and should get
    -- to. A yes/no is 0 or 1; a scale runs from 1 to 5; stories have no
    -- figures at all.
    measure     text CHECK (measure IN ('number', 'scale', 'yes_no', 'stories')),
    unit        text NOT NULL DEFAULT '' CHECK (length(unit) <= 60)
                    CHECK (unit !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]'),
    baseline    numeric CHECK (abs(baseline) < 1e12),
    target      numeric CHECK (abs(target) < 1e12),
    CONSTRAINT outcome_decided_says_why CHECK (decision IS NULL
        OR (length(btrim(reason)) > 0 AND decided_at IS NOT NULL)),
    CONSTRAINT outcome_measured_once_agreed CHECK (measure IS NULL OR decision = 'agreed'),
    CONSTRAINT outcome_figures_fit_measure CHECK (CASE measure
        WHEN 'number' THEN baseline IS NOT NULL AND target IS NOT NULL
        WHEN 'scale' THEN coalesce(baseline BETWEEN 1 AND 5 AND target BETWEEN 1 AND 5, false)
        WHEN 'yes_no' THEN coalesce(baseline IN (0, 1) AND target IN (0, 1), false)
        ELSE baseline IS NULL AND target IS NULL END)
);
CREATE INDEX outcomes_project_idx ON outcomes (project_id, id);

-- Each member's view of a proposed outcome: one per person, changeable
-- until a lead answers. lay keeps which side of the tally it counts on.
CREATE TABLE outcome_views (
    outcome_id bigint NOT NULL REFERENCES outcomes (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id),
    choice     text NOT NULL CHECK (choice IN ('support', 'neutral', 'object')),
    lay        boolean NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (outcome_id, user_id)
);

-- A dated reading of an agreed outcome, and where the figure (or story)
-- came from. A reading is a figure or a story, never both or neither.
CREATE TABLE outcome_readings (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    outcome_id  bigint NOT NULL REFERENCES outcomes (id) ON DELETE CASCADE,
    taken_on    date NOT NULL,
    value       numeric CHECK (abs(value) < 1e12),
    story       text NOT NULL DEFAULT '' CHECK (length(story) <= 5000),
    source      text NOT NULL CHECK (length(btrim(source)) BETWEEN 1 AND 300)
                    CHECK (source !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]'),
    recorded_by bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT reading_is_figure_or_story CHECK ((value IS NOT NULL) <> (length(btrim(story)) > 0))
);
CREATE INDEX outcome_readings_outcome_idx ON outcome_readings (outcome_id, taken_on, id);

-- +goose Down
DROP TABLE outcome_readings;
DROP TABLE outcome_views;
DROP TABLE outcomes;
DROP TABLE readiness_answers;
DROP TABLE readiness_checks;
