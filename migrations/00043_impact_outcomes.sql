-- +goose Up
-- An impact entry links to the outcomes it came from too (issue 20): the
-- one column 00037 left room for. A link is still to exactly one thing.
ALTER TABLE impact_links ADD COLUMN outcome_id bigint REFERENCES outcomes (id) ON DELETE CASCADE;
ALTER TABLE impact_links DROP CONSTRAINT impact_links_check;
ALTER TABLE impact_links ADD CONSTRAINT impact_links_one_target
    CHECK (num_nonnulls(proposal_id, action_id, outcome_id) = 1);
ALTER TABLE impact_links ADD CONSTRAINT impact_links_entry_id_outcome_id_key UNIQUE (entry_id, outcome_id);
CREATE INDEX impact_links_outcome_idx ON impact_links (outcome_id) WHERE outcome_id IS NOT NULL;

-- The same rule as before, now for outcomes as well: an entry links only
-- to its own project's ideas, actions and outcomes.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION impact_link_same_project() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry_project bigint;
    target_project bigint;
BEGIN
    SELECT project_id INTO entry_project FROM impact_entries WHERE id = NEW.entry_id;
    IF NEW.proposal_id IS NOT NULL THEN
        SELECT project_id INTO target_project FROM proposals WHERE id = NEW.proposal_id;
    ELSIF NEW.outcome_id IS NOT NULL THEN
        SELECT project_id INTO target_project FROM outcomes WHERE id = NEW.outcome_id;
    ELSE
        SELECT p.project_id INTO target_project
        FROM action_items a JOIN proposals p ON p.id = a.proposal_id WHERE a.id = NEW.action_id;
    END IF;
    IF target_project IS DISTINCT FROM entry_project THEN
        RAISE EXCEPTION 'an impact entry links only to its own project'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd

-- An outcome's proposer, or a lead or facilitator, can change its wording
-- or withdraw it while it waits for an answer. A withdrawn outcome stays,
-- marked as withdrawn with its reason; it is never answered.
ALTER TABLE outcomes ADD COLUMN withdrawn_at timestamptz;
ALTER TABLE outcomes ADD COLUMN withdrawn_by bigint REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE outcomes ADD COLUMN withdrawn_reason text NOT NULL DEFAULT '' CHECK (length(withdrawn_reason) <= 2000);
ALTER TABLE outcomes ADD CONSTRAINT withdrawn_outcomes_have_no_answer
    CHECK (withdrawn_at IS NULL OR decision IS NULL);

-- The wordings an outcome had before each change, oldest first: the
-- outcome's own columns hold the current one.
CREATE TABLE outcome_wordings (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    outcome_id bigint NOT NULL REFERENCES outcomes (id) ON DELETE CASCADE,
    title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    why        text NOT NULL CHECK (length(why) <= 5000),
    changed_by bigint REFERENCES users (id) ON DELETE SET NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outcome_wordings_outcome_idx ON outcome_wordings (outcome_id, id);

-- +goose Down
DROP TABLE outcome_wordings;
ALTER TABLE outcomes DROP CONSTRAINT withdrawn_outcomes_have_no_answer;
ALTER TABLE outcomes DROP COLUMN withdrawn_reason;
ALTER TABLE outcomes DROP COLUMN withdrawn_by;
ALTER TABLE outcomes DROP COLUMN withdrawn_at;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION impact_link_same_project() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry_project bigint;
    target_project bigint;
BEGIN
    SELECT project_id INTO entry_project FROM impact_entries WHERE id = NEW.entry_id;
    IF NEW.proposal_id IS NOT NULL THEN
        SELECT project_id INTO target_project FROM proposals WHERE id = NEW.proposal_id;
    ELSE
        SELECT p.project_id INTO target_project
        FROM action_items a JOIN proposals p ON p.id = a.proposal_id WHERE a.id = NEW.action_id;
    END IF;
    IF target_project IS DISTINCT FROM entry_project THEN
        RAISE EXCEPTION 'an impact entry links only to its own project'
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END
$$;
-- +goose StatementEnd
DELETE FROM impact_links WHERE outcome_id IS NOT NULL;
DROP INDEX impact_links_outcome_idx;
ALTER TABLE impact_links DROP CONSTRAINT impact_links_entry_id_outcome_id_key;
ALTER TABLE impact_links DROP CONSTRAINT impact_links_one_target;
ALTER TABLE impact_links DROP COLUMN outcome_id;
ALTER TABLE impact_links ADD CONSTRAINT impact_links_check CHECK (num_nonnulls(proposal_id, action_id) = 1);
