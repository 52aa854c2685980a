-- m0003: money. An operation is the exact ledger batch of one business event, written before
-- the ledger is asked to commit it (key = the ledger idempotency key, transfer ids = id × 16 + i),
-- so a crash between the two is finished by committing the same batch again.
CREATE TABLE operations (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    key        TEXT    NOT NULL UNIQUE,
    batch      TEXT    NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('pending', 'committed')),
    created_at INTEGER NOT NULL
) STRICT;

CREATE INDEX operations_pending ON operations (id) WHERE state = 'pending';

-- How a task was funded: its escrow and the fee split fixed at funding time.
CREATE TABLE task_funding (
    task_id           TEXT    PRIMARY KEY REFERENCES tasks (id),
    escrow_account_id INTEGER NOT NULL,
    asset             TEXT    NOT NULL,
    escrow_minor      INTEGER NOT NULL CHECK (escrow_minor > 0),
    payout_minor      INTEGER NOT NULL CHECK (payout_minor >= 0),
    fee_minor         INTEGER NOT NULL CHECK (fee_minor >= 0),
    fee_rule          TEXT    NOT NULL,
    funded_at         INTEGER NOT NULL,
    CHECK (payout_minor + fee_minor = escrow_minor)
) STRICT;
