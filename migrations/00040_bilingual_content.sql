-- +goose Up
-- Bilingual content where the public reads it (Welsh Language Standards):
-- a project's title and summary, and each version of its purpose
-- statement, in Welsh beside the English. A lead may set a project as
-- bilingual: then its Welsh title is required, and each version of its
-- purpose statement carries both languages (checked when it is written,
-- and when the public page is published).
ALTER TABLE projects
    ADD COLUMN title_cy   text NOT NULL DEFAULT '' CHECK (length(title_cy) <= 200),
    ADD COLUMN summary_cy text NOT NULL DEFAULT '' CHECK (length(summary_cy) <= 5000),
    ADD COLUMN bilingual  boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT projects_bilingual_title CHECK (NOT bilingual OR length(title_cy) > 0),
    ADD CONSTRAINT projects_bilingual_summary CHECK (NOT bilingual OR (summary = '') = (summary_cy = ''));

-- The statement may be written in Welsh first: its purpose is needed in
-- one language at least, no longer in English alone.
ALTER TABLE purpose_versions
    ADD COLUMN purpose_cy           text NOT NULL DEFAULT '' CHECK (length(purpose_cy) <= 5000),
    ADD COLUMN expectations_cy      text NOT NULL DEFAULT '' CHECK (length(expectations_cy) <= 5000),
    ADD COLUMN fixed_cy             text NOT NULL DEFAULT '' CHECK (length(fixed_cy) <= 5000),
    ADD COLUMN open_to_change_cy    text NOT NULL DEFAULT '' CHECK (length(open_to_change_cy) <= 5000),
    ADD COLUMN contributions_use_cy text NOT NULL DEFAULT '' CHECK (length(contributions_use_cy) <= 5000),
    ADD COLUMN expenses_policy_cy   text NOT NULL DEFAULT '' CHECK (length(expenses_policy_cy) <= 5000),
    DROP CONSTRAINT purpose_versions_purpose_check,
    ADD CONSTRAINT purpose_versions_purpose_length CHECK (length(purpose) <= 5000),
    ADD CONSTRAINT purpose_versions_purpose_written CHECK (length(purpose) > 0 OR length(purpose_cy) > 0);

-- Each line on a person's Updates page is written once, in the language
-- they chose for what we write to them; it is kept with that language so
-- that a page in the other language marks it (lang) rather than passing it
-- off as its own words. Lines written before this were in the language the
-- person had chosen, or English.
ALTER TABLE updates ADD COLUMN lang text NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'cy'));
UPDATE updates u SET lang = 'cy' FROM users WHERE users.id = u.user_id AND users.language = 'cy';

-- +goose Down
ALTER TABLE updates DROP COLUMN lang;
UPDATE purpose_versions SET purpose = purpose_cy WHERE purpose = '';
ALTER TABLE purpose_versions
    DROP CONSTRAINT purpose_versions_purpose_written,
    DROP CONSTRAINT purpose_versions_purpose_length,
    ADD CONSTRAINT purpose_versions_purpose_check CHECK (length(purpose) BETWEEN 1 AND 5000),
    DROP COLUMN purpose_cy,
    DROP COLUMN expectations_cy,
    DROP COLUMN fixed_cy,
    DROP COLUMN open_to_change_cy,
    DROP COLUMN contributions_use_cy,
    DROP COLUMN expenses_policy_cy;
ALTER TABLE projects
    DROP CONSTRAINT projects_bilingual_summary,
    DROP CONSTRAINT projects_bilingual_title,
    DROP COLUMN bilingual,
    DROP COLUMN summary_cy,
    DROP COLUMN title_cy;
