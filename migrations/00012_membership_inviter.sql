-- +goose Up
-- Who brought each member into the project: the person who sent the
-- invitation they accepted, or who added them. Approval and sign-off rules
-- need it: a claim is never approved by someone the claimant invited, and a
-- sign-off shows who invited the person who signed. NULL for the project's
-- creator and for memberships made before this was recorded.
ALTER TABLE memberships ADD COLUMN invited_by bigint REFERENCES users (id) ON DELETE SET NULL;

UPDATE memberships m SET invited_by = i.created_by
FROM invitations i
WHERE i.project_id = m.project_id AND i.accepted_user_id = m.user_id AND i.status = 'accepted'
  AND i.created_by IS DISTINCT FROM m.user_id;

-- +goose Down
ALTER TABLE memberships DROP COLUMN invited_by;
