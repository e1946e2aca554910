-- +goose Up
-- Whether a member is named in reports. Unset means the default for their
-- role: staff are named, lay partners are not ("Lay partner 3").
ALTER TABLE memberships ADD COLUMN named_in_reports boolean;

-- +goose Down
ALTER TABLE memberships DROP COLUMN named_in_reports;
