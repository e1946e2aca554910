-- +goose Up
-- The principles check: rounds a lead opens and closes, in which each member
-- rates the project against the six principles of co-production (1 to 5) and
-- places it at one of Needham and Carr's three levels (1 description,
-- 2 recognition, 3 transformation).
CREATE TABLE principle_rounds (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 200)
                   CHECK (title !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]'),
    opened_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    opened_at  timestamptz NOT NULL DEFAULT now(),
    closed_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    closed_at  timestamptz,
    -- The answers' composite key refers to this, so that an answer's
    -- project is always its round's.
    UNIQUE (id, project_id)
);
-- One round open at a time: two open rounds would split the answers.
CREATE UNIQUE INDEX principle_rounds_one_open ON principle_rounds (project_id) WHERE closed_at IS NULL;
CREATE INDEX principle_rounds_project_idx ON principle_rounds (project_id, opened_at);

-- One answer per member per round (they may change it while the round is
-- open). lay is the member's group when they answered (a lay partner, or
-- staff: leads, facilitators and staff partners), so that a later change of
-- role does not move an answer between groups. The six scores are columns,
-- not rows, so that a round's figures are one pass over one index.
-- Nobody but the author ever reads a row: pages see only the figures of a
-- group of three or more (see PrinciplesResults).
CREATE TABLE principle_answers (
    round_id        bigint NOT NULL,
    project_id      bigint NOT NULL,
    user_id         bigint NOT NULL REFERENCES users (id),
    lay             boolean NOT NULL,
    level           smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
    assets          smallint NOT NULL CHECK (assets BETWEEN 1 AND 5),
    capabilities    smallint NOT NULL CHECK (capabilities BETWEEN 1 AND 5),
    mutuality       smallint NOT NULL CHECK (mutuality BETWEEN 1 AND 5),
    networks        smallint NOT NULL CHECK (networks BETWEEN 1 AND 5),
    blurring_roles  smallint NOT NULL CHECK (blurring_roles BETWEEN 1 AND 5),
    catalysts       smallint NOT NULL CHECK (catalysts BETWEEN 1 AND 5),
    -- The optional comments, one per principle, in the principles' order.
    comments        text[] NOT NULL DEFAULT '{}' CHECK (cardinality(comments) <= 6)
                        CHECK (length(array_to_string(comments, '')) <= 12000),
    answered_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (round_id, user_id),
    FOREIGN KEY (round_id, project_id) REFERENCES principle_rounds (id, project_id) ON DELETE CASCADE
);
-- The open round's figures are worked out from this index alone.
CREATE INDEX principle_answers_figures_idx ON principle_answers (round_id, lay)
    INCLUDE (level, assets, capabilities, mutuality, networks, blurring_roles, catalysts);

-- A closed round's figures never change (its answers are refused), so they
-- are worked out once, when it closes, and the results page reads a row per
-- group rather than every answer of every round. These are the whole
-- group's figures, however small the group: the one query that reads them
-- (PrinciplesResults) shows a group's only when three or more answered.
CREATE TABLE principle_figures (
    round_id bigint NOT NULL REFERENCES principle_rounds (id) ON DELETE CASCADE,
    lay      boolean NOT NULL,
    answered integer NOT NULL CHECK (answered > 0),
    -- The mean of each principle's scores, in the principles' order.
    means    float8[] NOT NULL CHECK (cardinality(means) = 6),
    -- How many placed the project at description, recognition and
    -- transformation, and the middle answer.
    levels   integer[] NOT NULL CHECK (cardinality(levels) = 3),
    level    integer NOT NULL CHECK (level BETWEEN 1 AND 3),
    PRIMARY KEY (round_id, lay)
);

-- A closed round takes no answers. The application asks first; this trigger
-- refuses it even if a later change forgets to ask. Closing locks the round
-- row, and answering reads it FOR SHARE first, so the two never cross.
-- +goose StatementBegin
CREATE FUNCTION principle_answers_round_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM principle_rounds WHERE id = NEW.round_id AND closed_at IS NOT NULL) THEN
        RAISE EXCEPTION 'principle_answers refused: round % is closed', NEW.round_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER principle_answers_round_open BEFORE INSERT OR UPDATE ON principle_answers
    FOR EACH ROW EXECUTE FUNCTION principle_answers_round_open();

-- Closing a round works out its figures, in the same statement, however it
-- is closed. The same aggregates as the open round's (figuresSQL in
-- internal/postgres/principles.go); a test checks that closing a round
-- leaves its figures as they were.
-- +goose StatementBegin
CREATE FUNCTION principle_rounds_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO principle_figures (round_id, lay, answered, means, levels, level)
    SELECT round_id, lay, count(*),
           ARRAY[avg(assets)::float8, avg(capabilities)::float8, avg(mutuality)::float8,
                 avg(networks)::float8, avg(blurring_roles)::float8, avg(catalysts)::float8],
           ARRAY[count(*) FILTER (WHERE level = 1), count(*) FILTER (WHERE level = 2),
                 count(*) FILTER (WHERE level = 3)]::integer[],
           percentile_disc(0.5) WITHIN GROUP (ORDER BY level)
    FROM principle_answers WHERE round_id = NEW.id GROUP BY round_id, lay;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER principle_rounds_figures AFTER UPDATE OF closed_at ON principle_rounds
    FOR EACH ROW WHEN (OLD.closed_at IS NULL AND NEW.closed_at IS NOT NULL)
    EXECUTE FUNCTION principle_rounds_figures();

-- +goose Down
DROP TABLE principle_figures;
DROP TABLE principle_answers;
DROP FUNCTION principle_answers_round_open();
DROP TRIGGER principle_rounds_figures ON principle_rounds;
DROP FUNCTION principle_rounds_figures();
DROP TABLE principle_rounds;
