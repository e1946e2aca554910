-- +goose Up
-- claim_decider_allowed asks, for every claim it judges, whether the reader
-- accepted an invitation from the claimant. Without an index that read all
-- of a trust's invitations once per claim on a lead's project page.
CREATE INDEX invitations_accepted_user_idx ON invitations (accepted_user_id, created_by)
    WHERE accepted_user_id IS NOT NULL;

-- +goose Down
DROP INDEX invitations_accepted_user_idx;
