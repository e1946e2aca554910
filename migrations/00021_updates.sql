-- +goose Up
-- Updates: news for one person, shown on their Updates page until they open
-- it. Written in the same transaction as the change it tells of. once_key
-- names news that must reach a person only once (a meeting reminder, an
-- idea waiting 21 days), so two runs of a periodic job cannot both write it.
CREATE TABLE updates (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    project_id bigint REFERENCES projects (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    line       text NOT NULL CHECK (length(line) <= 2000),
    link       text NOT NULL CHECK (link LIKE '/%' AND link NOT LIKE '//%'), -- a path here, never another site
    once_key   text,
    created_at timestamptz NOT NULL DEFAULT now(),
    seen_at    timestamptz
);
CREATE INDEX updates_user_idx ON updates (user_id, id DESC);
CREATE INDEX updates_unseen_idx ON updates (user_id) WHERE seen_at IS NULL;
CREATE UNIQUE INDEX updates_once_idx ON updates (user_id, once_key) WHERE once_key IS NOT NULL;

-- How each person wants to hear of each kind of update: an email at once,
-- a daily digest, or on the Updates page only. No row: the default for
-- their kind of account (coproduce.DefaultNotify).
CREATE TABLE notify_preferences (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind    text NOT NULL,
    notify  text NOT NULL CHECK (notify IN ('immediate', 'daily', 'none')),
    PRIMARY KEY (user_id, kind)
);

-- The one preference each person had before: a daily digest or no email
-- holds for every kind; "at once" was everyone's default, so those people
-- get the new defaults.
INSERT INTO notify_preferences (user_id, kind, notify)
SELECT u.id, k.kind, u.notify
FROM users u CROSS JOIN (VALUES ('new_idea'), ('comment'), ('answered'), ('action'), ('purpose'), ('fourrs'),
    ('claim_decided'), ('meeting'), ('signoff'), ('claim_waiting'), ('idea_waiting')) AS k (kind)
WHERE u.notify IN ('daily', 'none');

-- One-click unsubscribe links (RFC 8058): each email's link turns the kinds
-- of news it carried to "Updates page only". Only the token's hash is kept.
CREATE TABLE unsubscribe_tokens (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kinds      text[] NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX unsubscribe_tokens_user_idx ON unsubscribe_tokens (user_id);

-- The List-Unsubscribe address an email carries, for the sender's headers.
ALTER TABLE emails ADD COLUMN list_unsubscribe text;

-- Digest lines now say their kind (for the digest's unsubscribe link) and
-- whether they wait for the daily digest or for the next gathered email
-- (news that came too soon after an email sent at once).
ALTER TABLE digest_items ADD COLUMN kind text NOT NULL DEFAULT '';
ALTER TABLE digest_items ADD COLUMN daily boolean NOT NULL DEFAULT true;
UPDATE digest_items d SET daily = (u.notify = 'daily') FROM users u WHERE u.id = d.user_id AND d.sent_at IS NULL;

-- When the periodic job told people of a meeting the next day, and a
-- project's leads of an idea waiting 21 days for an answer: claimed by one
-- statement on the row, so two instances cannot both tell them.
ALTER TABLE meetings ADD COLUMN reminded_at timestamptz;
ALTER TABLE proposals ADD COLUMN waiting_told_at timestamptz;

-- +goose Down
ALTER TABLE proposals DROP COLUMN waiting_told_at;
ALTER TABLE meetings DROP COLUMN reminded_at;
ALTER TABLE digest_items DROP COLUMN daily;
ALTER TABLE digest_items DROP COLUMN kind;
ALTER TABLE emails DROP COLUMN list_unsubscribe;
DROP TABLE unsubscribe_tokens;
DROP TABLE notify_preferences;
DROP TABLE updates;
