-- +goose Up
-- Step 6, build: proposals (ideas for change, or ground rules for working
-- together), discussed in comments, voted on, and answered.
CREATE TABLE proposals (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id   bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    author_id    bigint REFERENCES users (id),
    title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body         text NOT NULL CHECK (length(body) <= 10000),
    ground_rule  boolean NOT NULL DEFAULT false,
    status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    response     text CHECK (response IN ('adopted', 'adapted', 'not_adopted')),
    rationale    text NOT NULL DEFAULT '' CHECK (length(rationale) <= 5000),
    responded_by bigint REFERENCES users (id),
    responded_at timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- The promise of the feedback loop: a closed proposal has an answer,
    -- and "not adopted" always says why.
    CONSTRAINT closed_proposals_are_answered CHECK (status = 'open' OR (response IS NOT NULL AND responded_at IS NOT NULL)),
    CONSTRAINT not_adopted_says_why CHECK (response IS DISTINCT FROM 'not_adopted' OR length(btrim(rationale)) > 0)
);
CREATE INDEX proposals_project_idx ON proposals (project_id, created_at DESC);

CREATE TABLE comments (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proposal_id   bigint NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    author_id     bigint REFERENCES users (id),
    parent_id     bigint REFERENCES comments (id) ON DELETE CASCADE,
    body          text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    -- A token from the form, so that a double-clicked button or a resent
    -- post leaves one comment.
    form_token    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    edited_at     timestamptz,
    hidden_reason text,
    hidden_by     bigint REFERENCES users (id),
    hidden_at     timestamptz,
    UNIQUE (author_id, form_token)
);
CREATE INDEX comments_proposal_idx ON comments (proposal_id, id);

-- One vote per member per proposal, changeable while the proposal is open.
CREATE TABLE votes (
    proposal_id bigint NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    user_id     bigint NOT NULL REFERENCES users (id),
    choice      text NOT NULL CHECK (choice IN ('support', 'neutral', 'object')),
    reason      text NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (proposal_id, user_id)
);

-- "You said, we did": what is being done about adopted proposals.
CREATE TABLE action_items (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proposal_id bigint NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    description text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
    owner       text NOT NULL CHECK (length(owner) BETWEEN 1 AND 200),
    due_on      date NOT NULL,
    status      text NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started', 'in_progress', 'done')),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX action_items_proposal_idx ON action_items (proposal_id, id);

-- Members acknowledge the working agreement (the adopted ground rules) as
-- it stood at a moment; adopting another rule asks them again.
CREATE TABLE agreement_acknowledgements (
    project_id      bigint NOT NULL,
    user_id         bigint NOT NULL,
    acknowledged_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, user_id),
    FOREIGN KEY (project_id, user_id) REFERENCES memberships (project_id, user_id) ON DELETE CASCADE
);

-- How each person wants to hear about new proposals and answers.
ALTER TABLE users ADD COLUMN notify text NOT NULL DEFAULT 'immediate'
    CHECK (notify IN ('immediate', 'daily', 'none'));
ALTER TABLE users ADD COLUMN last_digest_at timestamptz;

-- News waiting for a person's daily digest.
CREATE TABLE digest_items (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    line       text NOT NULL,
    link       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz
);
CREATE INDEX digest_items_unsent_idx ON digest_items (user_id) WHERE sent_at IS NULL;

-- +goose Down
DROP TABLE digest_items;
ALTER TABLE users DROP COLUMN last_digest_at;
ALTER TABLE users DROP COLUMN notify;
DROP TABLE agreement_acknowledgements;
DROP TABLE action_items;
DROP TABLE votes;
DROP TABLE comments;
DROP TABLE proposals;
