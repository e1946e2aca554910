-- +goose Up
-- The impact log: what changed because partners took part. Leads and
-- facilitators record each change, the day it happened, what it came from
-- and who contributed to it.
CREATE TABLE impact_entries (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id   bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 200)
                     CHECK (title !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]'),
    what_changed text NOT NULL CHECK (length(btrim(what_changed)) BETWEEN 1 AND 5000),
    changed_on   date NOT NULL,
    created_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX impact_entries_project_idx ON impact_entries (project_id, changed_on, id);

-- What an entry came from: one row per link, each to exactly one thing.
-- Outcomes partners define will be linked by adding one column,
-- outcome_id, to the check below: the rest of the table stays.
CREATE TABLE impact_links (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_id    bigint NOT NULL REFERENCES impact_entries (id) ON DELETE CASCADE,
    proposal_id bigint REFERENCES proposals (id) ON DELETE CASCADE,
    action_id   bigint REFERENCES action_items (id) ON DELETE CASCADE,
    CHECK (num_nonnulls(proposal_id, action_id) = 1),
    UNIQUE (entry_id, proposal_id),
    UNIQUE (entry_id, action_id)
);
CREATE INDEX impact_links_proposal_idx ON impact_links (proposal_id) WHERE proposal_id IS NOT NULL;
CREATE INDEX impact_links_action_idx ON impact_links (action_id) WHERE action_id IS NOT NULL;

-- An entry links only to its own project's ideas and actions, however the
-- row was written.
-- +goose StatementBegin
CREATE FUNCTION impact_link_same_project() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER impact_links_same_project BEFORE INSERT OR UPDATE ON impact_links
    FOR EACH ROW EXECUTE FUNCTION impact_link_same_project();

-- Who contributed to a change: members of the project, labelled in
-- reports by the report naming rules.
CREATE TABLE impact_contributors (
    entry_id bigint NOT NULL REFERENCES impact_entries (id) ON DELETE CASCADE,
    user_id  bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (entry_id, user_id)
);
CREATE INDEX impact_contributors_user_idx ON impact_contributors (user_id);

-- The project's critical reflection, written by its members together:
-- every saved version is kept, with who wrote it and when. A save names
-- the version it started from; two saves from the same version meet at
-- the primary key, and the second is told someone saved first.
CREATE TABLE impact_reflections (
    project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    version    integer NOT NULL CHECK (version > 0),
    body       text NOT NULL CHECK (length(body) <= 20000),
    written_by bigint REFERENCES users (id) ON DELETE SET NULL,
    written_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, version)
);

-- +goose Down
DROP TABLE impact_reflections;
DROP TABLE impact_contributors;
DROP TRIGGER impact_links_same_project ON impact_links;
DROP FUNCTION impact_link_same_project();
DROP TABLE impact_links;
DROP TABLE impact_entries;
