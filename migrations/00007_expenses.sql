-- +goose Up
-- Expenses and involvement payments, on the shape of NHS England's policy
-- for patient and public partners. Money is integer pence, never floating
-- point. No bank details are kept: finance pays from its own records.
CREATE TABLE rates (
    key        text PRIMARY KEY CHECK (key IN ('mileage_car', 'mileage_passenger', 'mileage_bicycle',
                                              'payment_short', 'payment_long')),
    pence      integer NOT NULL CHECK (pence BETWEEN 0 AND 100000),
    updated_by bigint REFERENCES users (id),
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- Starting values, for an administrator to check: mileage at HMRC's
-- approved rates; a payment per session of up to 3 hours, and a longer one.
INSERT INTO rates (key, pence) VALUES
    ('mileage_car', 45), ('mileage_passenger', 5), ('mileage_bicycle', 20),
    ('payment_short', 7500), ('payment_long', 15000);

-- Each membership's payment level (1 to 4; levels 3 and 4 are paid for
-- their time) and the member's choice about involvement payments, made
-- after reading the benefits warning.
ALTER TABLE memberships ADD COLUMN payment_level smallint NOT NULL DEFAULT 1 CHECK (payment_level BETWEEN 1 AND 4);
ALTER TABLE memberships ADD COLUMN payment_choice text NOT NULL DEFAULT 'undecided'
    CHECK (payment_choice IN ('undecided', 'accept', 'decline'));
ALTER TABLE memberships ADD COLUMN payment_choice_at timestamptz;

CREATE TABLE receipts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id),
    content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    data         bytea NOT NULL CHECK (length(data) BETWEEN 1 AND 5242880),
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE finance_exports (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id  bigint NOT NULL REFERENCES projects (id),
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE claims (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id   bigint NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id      bigint NOT NULL REFERENCES users (id),
    category     text NOT NULL CHECK (category IN ('mileage_car', 'mileage_passenger', 'mileage_bicycle',
                   'public_transport', 'parking', 'carer', 'other', 'payment_short', 'payment_long')),
    incurred_on  date NOT NULL,
    miles        integer CHECK (miles BETWEEN 1 AND 1000),
    amount_pence integer NOT NULL CHECK (amount_pence BETWEEN 1 AND 100000),
    description  text NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    meeting_id   bigint REFERENCES meetings (id) ON DELETE SET NULL,
    receipt_id   bigint REFERENCES receipts (id),
    status       text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'approved', 'rejected', 'exported')),
    decided_by   bigint REFERENCES users (id),
    decided_at   timestamptz,
    reason       text NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    export_id    bigint REFERENCES finance_exports (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (status <> 'rejected' OR length(btrim(reason)) > 0),
    CHECK (decided_by IS NULL OR decided_by <> user_id),
    CHECK ((status = 'exported') = (export_id IS NOT NULL))
);
CREATE INDEX claims_project_idx ON claims (project_id, status, created_at);
-- One involvement payment per person per meeting, however often attendance
-- is recorded.
CREATE UNIQUE INDEX claims_one_payment_per_meeting ON claims (meeting_id, user_id)
    WHERE category IN ('payment_short', 'payment_long');

-- +goose Down
DROP TABLE claims;
DROP TABLE finance_exports;
DROP TABLE receipts;
ALTER TABLE memberships DROP COLUMN payment_choice_at;
ALTER TABLE memberships DROP COLUMN payment_choice;
ALTER TABLE memberships DROP COLUMN payment_level;
DROP TABLE rates;
