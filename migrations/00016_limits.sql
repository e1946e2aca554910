-- +goose Up
-- Throttling counts in fixed windows: a window starts with its first
-- attempt and lasts its length, so attempts that are refused do not make a
-- lock last longer (a stranger could otherwise keep it going for ever).
ALTER TABLE sign_in_failures ADD COLUMN window_started_at timestamptz NOT NULL DEFAULT now();
UPDATE sign_in_failures SET window_started_at = last_failure_at;

-- When each person was last sent a notification email: news that comes
-- sooner than a few minutes after it waits, and goes in one gathered email.
ALTER TABLE users ADD COLUMN last_notice_at timestamptz;

-- +goose Down
ALTER TABLE users DROP COLUMN last_notice_at;
ALTER TABLE sign_in_failures DROP COLUMN window_started_at;
