-- +goose Up

-- An idea's author can withdraw it while it has no answer. A withdrawn idea
-- stays, marked as withdrawn, with the author's reason if they gave one; it
-- takes no more votes and waits for no answer.
ALTER TABLE proposals DROP CONSTRAINT proposals_status_check;
ALTER TABLE proposals ADD CONSTRAINT proposals_status_check CHECK (status IN ('open', 'closed', 'withdrawn'));
ALTER TABLE proposals DROP CONSTRAINT closed_proposals_are_answered;
ALTER TABLE proposals ADD CONSTRAINT closed_proposals_are_answered
    CHECK (status <> 'closed' OR (response IS NOT NULL AND responded_at IS NOT NULL));
ALTER TABLE proposals ADD COLUMN withdrawn_at timestamptz;
ALTER TABLE proposals ADD COLUMN withdrawn_reason text NOT NULL DEFAULT '' CHECK (length(withdrawn_reason) <= 2000);
ALTER TABLE proposals ADD CONSTRAINT withdrawn_ideas_have_no_answer
    CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL) AND (status <> 'withdrawn' OR response IS NULL));

-- Every answer an idea was given, oldest first: the proposal's own columns
-- hold the current one, and the earlier ones are the answer's history when
-- it is changed.
CREATE TABLE proposal_answers (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proposal_id bigint NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    response    text NOT NULL CHECK (response IN ('adopted', 'adapted', 'not_adopted')),
    rationale   text NOT NULL DEFAULT '' CHECK (length(rationale) <= 5000),
    answered_by bigint REFERENCES users (id),
    answered_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT not_adopted_says_why CHECK (response <> 'not_adopted' OR length(btrim(rationale)) > 0)
);
CREATE INDEX proposal_answers_proposal_idx ON proposal_answers (proposal_id, id);
INSERT INTO proposal_answers (proposal_id, response, rationale, answered_by, answered_at)
SELECT id, response, rationale, responded_by, responded_at FROM proposals WHERE status = 'closed' ORDER BY responded_at, id;

-- Each time a facilitator hid a comment or showed it again, with why: the
-- comment's own columns say whether it is hidden now.
CREATE TABLE comment_moderations (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    comment_id bigint NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    hidden     boolean NOT NULL, -- true: hidden; false: shown again
    reason     text NOT NULL CHECK (length(reason) <= 2000),
    by_id      bigint REFERENCES users (id),
    at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT shown_again_says_why CHECK (hidden OR length(btrim(reason)) > 0)
);
CREATE INDEX comment_moderations_comment_idx ON comment_moderations (comment_id, id);
INSERT INTO comment_moderations (comment_id, hidden, reason, by_id, at)
SELECT id, true, coalesce(hidden_reason, ''), hidden_by, hidden_at FROM comments WHERE hidden_at IS NOT NULL ORDER BY hidden_at, id;

-- +goose Down
DROP TABLE comment_moderations;
DROP TABLE proposal_answers;
UPDATE proposals SET status = 'open', withdrawn_at = NULL WHERE status = 'withdrawn';
ALTER TABLE proposals DROP CONSTRAINT withdrawn_ideas_have_no_answer;
ALTER TABLE proposals DROP COLUMN withdrawn_reason;
ALTER TABLE proposals DROP COLUMN withdrawn_at;
ALTER TABLE proposals DROP CONSTRAINT closed_proposals_are_answered;
ALTER TABLE proposals ADD CONSTRAINT closed_proposals_are_answered
    CHECK (status = 'open' OR (response IS NOT NULL AND responded_at IS NOT NULL));
ALTER TABLE proposals DROP CONSTRAINT proposals_status_check;
ALTER TABLE proposals ADD CONSTRAINT proposals_status_check CHECK (status IN ('open', 'closed'));
