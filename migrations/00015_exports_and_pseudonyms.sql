-- +goose Up

-- Each finance export keeps its file, written in the same transaction that
-- marks its claims exported, so a download that drops loses nothing: the
-- file can be downloaded again from the list of past exports.
ALTER TABLE finance_exports ADD COLUMN items integer NOT NULL DEFAULT 0 CHECK (items >= 0);
ALTER TABLE finance_exports ADD COLUMN file text NOT NULL DEFAULT '';
CREATE INDEX finance_exports_project_idx ON finance_exports (project_id, created_at);
-- Exports made before files were kept are listed too; their file is made
-- again from their claims when downloaded.
UPDATE finance_exports f SET items = (SELECT count(*) FROM claims c WHERE c.export_id = f.id);

-- Each membership has one pseudonym for the life of the project: the role
-- it joined in and a number ("Lay partner 4": the fourth person to join as a
-- lay partner). Numbers are given in the order people join, per role, and
-- never given again, even after someone leaves: pseudonyms_given only ever
-- grows. A later change of role does not change the pseudonym.
CREATE TABLE pseudonyms_given (
    project_id bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    role       text NOT NULL,
    given      integer NOT NULL CHECK (given > 0),
    PRIMARY KEY (project_id, role)
);
ALTER TABLE memberships ADD COLUMN pseudonym_role text;
ALTER TABLE memberships ADD COLUMN pseudonym integer;
UPDATE memberships m SET pseudonym_role = m.role, pseudonym = n.rn
FROM (SELECT project_id, user_id,
             row_number() OVER (PARTITION BY project_id, role ORDER BY created_at, user_id) AS rn
      FROM memberships) n
WHERE n.project_id = m.project_id AND n.user_id = m.user_id;
INSERT INTO pseudonyms_given (project_id, role, given)
SELECT project_id, pseudonym_role, max(pseudonym) FROM memberships GROUP BY 1, 2;

-- +goose StatementBegin
CREATE FUNCTION memberships_give_pseudonym() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pseudonyms_given AS g (project_id, role, given) VALUES (NEW.project_id, NEW.role, 1)
    ON CONFLICT (project_id, role) DO UPDATE SET given = g.given + 1
    RETURNING given INTO NEW.pseudonym;
    NEW.pseudonym_role := NEW.role;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER memberships_give_pseudonym
    BEFORE INSERT ON memberships
    FOR EACH ROW EXECUTE FUNCTION memberships_give_pseudonym();
ALTER TABLE memberships ALTER COLUMN pseudonym_role SET NOT NULL;
ALTER TABLE memberships ALTER COLUMN pseudonym SET NOT NULL;
ALTER TABLE memberships ADD CONSTRAINT memberships_one_pseudonym UNIQUE (project_id, pseudonym_role, pseudonym);

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
ALTER TABLE memberships DROP COLUMN pseudonym_role;
DROP TABLE pseudonyms_given;
DROP INDEX finance_exports_project_idx;
ALTER TABLE finance_exports DROP COLUMN file;
ALTER TABLE finance_exports DROP COLUMN items;
