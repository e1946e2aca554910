-- +goose Up
-- One-line fields hold no line break, tab or other control character (nor
-- the Unicode line and paragraph separators): such a character in a name
-- or a title would start a line of its own in an email header or a
-- calendar file. The application folds them into a space as they are
-- typed (coproduce.OneLine); these constraints are the rule behind it.
-- Rows stored before are folded the same way first.
-- +goose StatementBegin
CREATE FUNCTION one_line_00017(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(nullif(btrim(regexp_replace(s, ' *[\x01-\x1f\x7f-\x9f\u2028\u2029]+[ \x01-\x1f\x7f-\x9f\u2028\u2029]*', ' ', 'g'), ' '), ''), '-')
$$;
-- +goose StatementEnd

UPDATE users SET name = one_line_00017(name) WHERE name ~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]';
UPDATE projects SET title = one_line_00017(title) WHERE title ~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]';
UPDATE stakeholder_groups SET name = one_line_00017(name) WHERE name ~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]';
UPDATE proposals SET title = one_line_00017(title) WHERE title ~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]';
UPDATE action_items SET owner = one_line_00017(owner) WHERE owner ~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]';
UPDATE meetings SET title = one_line_00017(title) WHERE title ~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]';
UPDATE meetings SET online_link = one_line_00017(online_link) WHERE online_link ~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]';

DROP FUNCTION one_line_00017(text);

ALTER TABLE users ADD CONSTRAINT users_name_one_line CHECK (name !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]');
ALTER TABLE projects ADD CONSTRAINT projects_title_one_line CHECK (title !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]');
ALTER TABLE stakeholder_groups ADD CONSTRAINT stakeholder_groups_name_one_line CHECK (name !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]');
ALTER TABLE proposals ADD CONSTRAINT proposals_title_one_line CHECK (title !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]');
ALTER TABLE action_items ADD CONSTRAINT action_items_owner_one_line CHECK (owner !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]');
ALTER TABLE meetings ADD CONSTRAINT meetings_title_one_line CHECK (title !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]');
ALTER TABLE meetings ADD CONSTRAINT meetings_online_link_one_line CHECK (online_link !~ '[\x01-\x1f\x7f-\x9f\u2028\u2029]');

-- +goose Down
ALTER TABLE users DROP CONSTRAINT users_name_one_line;
ALTER TABLE projects DROP CONSTRAINT projects_title_one_line;
ALTER TABLE stakeholder_groups DROP CONSTRAINT stakeholder_groups_name_one_line;
ALTER TABLE proposals DROP CONSTRAINT proposals_title_one_line;
ALTER TABLE action_items DROP CONSTRAINT action_items_owner_one_line;
ALTER TABLE meetings DROP CONSTRAINT meetings_title_one_line;
ALTER TABLE meetings DROP CONSTRAINT meetings_online_link_one_line;
