-- +goose Up
-- Stored counts of each idea's comments and votes, so that pages listing
-- ideas cost the same however many comments and votes a project has. They
-- change in the same transaction as the votes and comments they count, so
-- they never drift (the tests compare them with live counts after
-- concurrent voting). Changing a count changes no indexed column, so with
-- room left on each page (fillfactor) PostgreSQL updates the row in place
-- (a HOT update) and the indexes do not grow.
ALTER TABLE proposals
    ADD COLUMN comment_count integer NOT NULL DEFAULT 0 CHECK (comment_count >= 0),
    ADD COLUMN lay_support   integer NOT NULL DEFAULT 0 CHECK (lay_support >= 0),
    ADD COLUMN lay_neutral   integer NOT NULL DEFAULT 0 CHECK (lay_neutral >= 0),
    ADD COLUMN lay_object    integer NOT NULL DEFAULT 0 CHECK (lay_object >= 0),
    ADD COLUMN staff_support integer NOT NULL DEFAULT 0 CHECK (staff_support >= 0),
    ADD COLUMN staff_neutral integer NOT NULL DEFAULT 0 CHECK (staff_neutral >= 0),
    ADD COLUMN staff_object  integer NOT NULL DEFAULT 0 CHECK (staff_object >= 0);
ALTER TABLE proposals SET (fillfactor = 70);

-- Which side a vote counts for is fixed when it is cast: a lay partner's
-- vote stays a lay partner's vote.
ALTER TABLE votes ADD COLUMN lay boolean NOT NULL DEFAULT false;
UPDATE votes v SET lay = true
FROM proposals p, memberships m
WHERE p.id = v.proposal_id AND m.project_id = p.project_id AND m.user_id = v.user_id AND m.role = 'lay_partner';

UPDATE proposals p SET
    comment_count = (SELECT count(*) FROM comments c WHERE c.proposal_id = p.id AND c.hidden_at IS NULL),
    lay_support   = (SELECT count(*) FROM votes v WHERE v.proposal_id = p.id AND v.lay AND v.choice = 'support'),
    lay_neutral   = (SELECT count(*) FROM votes v WHERE v.proposal_id = p.id AND v.lay AND v.choice = 'neutral'),
    lay_object    = (SELECT count(*) FROM votes v WHERE v.proposal_id = p.id AND v.lay AND v.choice = 'object'),
    staff_support = (SELECT count(*) FROM votes v WHERE v.proposal_id = p.id AND NOT v.lay AND v.choice = 'support'),
    staff_neutral = (SELECT count(*) FROM votes v WHERE v.proposal_id = p.id AND NOT v.lay AND v.choice = 'neutral'),
    staff_object  = (SELECT count(*) FROM votes v WHERE v.proposal_id = p.id AND NOT v.lay AND v.choice = 'object');

-- Whether an idea came from a lay partner is fixed when it is made, like a
-- vote's side; the project page lists lay partners' ideas still waiting
-- for an answer after 28 days straight from this index.
ALTER TABLE proposals ADD COLUMN author_lay boolean NOT NULL DEFAULT false;
UPDATE proposals p SET author_lay = true
FROM memberships m
WHERE m.project_id = p.project_id AND m.user_id = p.author_id AND m.role = 'lay_partner';
CREATE INDEX proposals_awaiting_idx ON proposals (project_id, created_at) WHERE status = 'open' AND author_lay;

-- +goose Down
DROP INDEX proposals_awaiting_idx;
ALTER TABLE proposals DROP COLUMN author_lay;
ALTER TABLE votes DROP COLUMN lay;
ALTER TABLE proposals RESET (fillfactor);
ALTER TABLE proposals
    DROP COLUMN comment_count, DROP COLUMN lay_support, DROP COLUMN lay_neutral, DROP COLUMN lay_object,
    DROP COLUMN staff_support, DROP COLUMN staff_neutral, DROP COLUMN staff_object;
