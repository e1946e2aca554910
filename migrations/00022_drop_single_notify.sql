-- +goose Up
-- The one preference each person had for every email was copied into
-- notify_preferences, per kind, by migration 21; nothing reads it now.
ALTER TABLE users DROP COLUMN notify;

-- +goose Down
ALTER TABLE users ADD COLUMN notify text NOT NULL DEFAULT 'immediate'
    CHECK (notify IN ('immediate', 'daily', 'none'));
UPDATE users u SET notify = np.notify FROM notify_preferences np
WHERE np.user_id = u.id AND np.kind = 'new_idea' AND np.notify IN ('daily', 'none');
