-- +goose Up
-- Step 2, select: invitations. Only a hash of each link's token is kept.
-- An invitation past its expiry is shown as expired; its stored status
-- stays pending, so expiry needs no job.
CREATE TABLE invitations (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id       bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email            text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    group_id         bigint REFERENCES stakeholder_groups (id) ON DELETE SET NULL,
    role             text NOT NULL CHECK (role IN ('lead', 'facilitator', 'lay_partner', 'staff_partner')),
    message          text NOT NULL DEFAULT '' CHECK (length(message) <= 2000),
    token_hash       bytea NOT NULL UNIQUE,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn')),
    expires_at       timestamptz NOT NULL,
    created_by       bigint REFERENCES users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    responded_at     timestamptz,
    accepted_user_id bigint REFERENCES users (id)
);
CREATE INDEX invitations_project_idx ON invitations (project_id, created_at);
-- One open invitation per person per project.
CREATE UNIQUE INDEX invitations_one_pending ON invitations (project_id, lower(email)) WHERE status = 'pending';

-- One-time sign-in links: 15 minutes, single use, hashed.
CREATE TABLE sign_in_links (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_links_user_idx ON sign_in_links (user_id);

-- +goose Down
DROP TABLE sign_in_links;
DROP TABLE invitations;
