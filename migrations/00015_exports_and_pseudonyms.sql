-- +goose Up

-- Each finance export keeps its file, written in the same transaction that
-- marks its claims exported, so a download that drops loses nothing: the
-- file can be downloaded again from the list of past exports.
ALTER TABLE finance_exports ADD COLUMN items integer NOT NULL DEFAULT 0 CHECK (items >= 0);
ALTER TABLE finance_exports ADD COLUMN file text NOT NULL DEFAULT '';
CREATE INDEX finance_exports_project_idx ON finance_exports (project_id, created_at);

-- Each membership has one pseudonym number for the life of the project
-- ("Lay partner 4"), given in the order people join and never given again,
-- even after someone leaves: projects.pseudonyms_given only ever grows.
ALTER TABLE projects ADD COLUMN pseudonyms_given integer NOT NULL DEFAULT 0;
ALTER TABLE memberships ADD COLUMN pseudonym integer;
UPDATE memberships m SET pseudonym = n.rn
FROM (SELECT project_id, user_id, row_number() OVER (PARTITION BY project_id ORDER BY created_at, user_id) AS rn
      FROM memberships) n
WHERE n.project_id = m.project_id AND n.user_id = m.user_id;
UPDATE projects p SET pseudonyms_given = coalesce((SELECT max(pseudonym) FROM memberships m WHERE m.project_id = p.id), 0);

-- +goose StatementBegin
CREATE FUNCTION memberships_give_pseudonym() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE projects SET pseudonyms_given = pseudonyms_given + 1 WHERE id = NEW.project_id
    RETURNING pseudonyms_given INTO NEW.pseudonym;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER memberships_give_pseudonym
    BEFORE INSERT ON memberships
    FOR EACH ROW EXECUTE FUNCTION memberships_give_pseudonym();
ALTER TABLE memberships ALTER COLUMN pseudonym SET NOT NULL;
ALTER TABLE memberships ADD CONSTRAINT memberships_one_pseudonym UNIQUE (project_id, pseudonym);

-- An erased person: reports show them as "Former participant".
ALTER TABLE users ADD COLUMN erased_at timestamptz;

-- The audit trail stays append-only, except for erasure: inside a
-- transaction that has set coproduce.erasing, the before and after values
-- may be rewritten (to remove the erased person's name), and nothing else.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_LEVEL = 'ROW' AND current_setting('coproduce.erasing', true) = 'on'
       AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.project_id IS NOT DISTINCT FROM OLD.project_id AND NEW.action = OLD.action
       AND NEW.subject = OLD.subject THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
-- +goose StatementEnd
ALTER TABLE users DROP COLUMN erased_at;
ALTER TABLE memberships DROP CONSTRAINT memberships_one_pseudonym;
DROP TRIGGER memberships_give_pseudonym ON memberships;
DROP FUNCTION memberships_give_pseudonym;
ALTER TABLE memberships DROP COLUMN pseudonym;
ALTER TABLE projects DROP COLUMN pseudonyms_given;
DROP INDEX finance_exports_project_idx;
ALTER TABLE finance_exports DROP COLUMN file;
ALTER TABLE finance_exports DROP COLUMN items;
