-- m0016: finance. The test connector's own log (what it says it moved, for reconciliation
-- like any processor's statement), and stored reconciliation runs with their breaks, so the
-- next run can say what changed.
CREATE TABLE test_connector_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT    NOT NULL CHECK (kind IN ('deposit', 'funding', 'payout')),
    asset        TEXT    NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor <> 0),   -- signed: into the platform > 0
    transfer_id  INTEGER NOT NULL UNIQUE,                      -- the ledger transfer it answered
    created_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE reconciliation_runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at  INTEGER NOT NULL,
    from_at     INTEGER NOT NULL,
    to_at       INTEGER NOT NULL,
    connectors  TEXT    NOT NULL,
    matched     INTEGER NOT NULL,
    break_count INTEGER NOT NULL,
    summary     TEXT    NOT NULL
) STRICT;

CREATE TABLE reconciliation_breaks (
    run_id           INTEGER NOT NULL REFERENCES reconciliation_runs (id),
    fingerprint      TEXT    NOT NULL,
    kind             TEXT    NOT NULL,
    connector        TEXT    NOT NULL,
    reference        TEXT    NOT NULL,
    asset            TEXT    NOT NULL,
    ledger_amount    TEXT,
    processor_amount TEXT,
    detail           TEXT    NOT NULL,
    UNIQUE (run_id, fingerprint)
) STRICT;
