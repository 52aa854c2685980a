-- v0001: the ledger. One row per transfer (TigerBeetle's model: a debit account,
-- a credit account, an amount, one asset), balances kept on the account and
-- written once per commit, and a SHA-256 hash chain over the journal.
-- Money columns are INTEGER minor units (SQLite INTEGER is a signed 64-bit value).

CREATE TABLE assets (
    id    INTEGER PRIMARY KEY,
    code  TEXT    NOT NULL UNIQUE,
    scale INTEGER NOT NULL CHECK (scale BETWEEN 0 AND 18)
) STRICT;

-- USD in cents, USDC in base units, ETH gas in gwei (exact wei go in the transfer's metadata).
INSERT INTO assets (id, code, scale) VALUES (1, 'USD', 2), (2, 'USDC', 6), (3, 'ETH', 9);

CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    code            TEXT    NOT NULL UNIQUE,
    type            TEXT    NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'revenue', 'expense')),
    asset_id        INTEGER NOT NULL REFERENCES assets (id),
    flags           INTEGER NOT NULL DEFAULT 0,  -- 1: debits must not exceed credits, 2: credits must not exceed debits
    owner_kind      TEXT,
    owner_id        TEXT,
    created_at      INTEGER NOT NULL,            -- microseconds since 1970
    CHECK ((flags & 3) != 3)
) STRICT;

-- Balances apart from the account's descriptive columns: the writer rewrites each touched
-- account's row once per commit, and a narrow row dirties fewer pages.
CREATE TABLE account_balances (
    id              INTEGER PRIMARY KEY REFERENCES accounts (id),
    debits_pending  INTEGER NOT NULL DEFAULT 0 CHECK (debits_pending  >= 0),
    debits_posted   INTEGER NOT NULL DEFAULT 0 CHECK (debits_posted   >= 0),
    credits_pending INTEGER NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
    credits_posted  INTEGER NOT NULL DEFAULT 0 CHECK (credits_posted  >= 0)
) STRICT;

-- The journal. `seq` is the position in the hash chain; `id` is the caller's transfer id
-- (unique; negative ids are the ledger's own, e.g. the expiry of hold 42 is -42).
-- flags: 1 pending, 2 post of a pending transfer, 4 void of a pending transfer, 8 void by expiry.
CREATE TABLE transfers (
    seq               INTEGER PRIMARY KEY,
    id                INTEGER NOT NULL,
    debit_account_id  INTEGER NOT NULL,
    credit_account_id INTEGER NOT NULL,
    amount            INTEGER NOT NULL CHECK (amount > 0),
    asset_id          INTEGER NOT NULL,
    flags             INTEGER NOT NULL,
    pending_id        INTEGER,
    reverses_id       INTEGER,
    timeout_seconds   INTEGER NOT NULL,
    code              INTEGER NOT NULL,
    timestamp         INTEGER NOT NULL,
    metadata          TEXT,
    hash              BLOB    NOT NULL
) STRICT;

CREATE UNIQUE INDEX transfers_by_id ON transfers (id);

-- What a row resolves or reverses, kept apart from the journal so that a plain transfer
-- pays for no index but transfers_by_id. Derived from the journal (verify rebuilds it):
-- kind 1 = open hold (deleted when resolved), 2 = resolution of target_id, 3 = reversal of target_id.
CREATE TABLE transfer_links (
    target_id INTEGER NOT NULL,
    kind      INTEGER NOT NULL CHECK (kind IN (1, 2, 3)),
    seq       INTEGER NOT NULL,
    amount    INTEGER NOT NULL,
    PRIMARY KEY (target_id, kind, seq)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER transfers_are_append_only_update BEFORE UPDATE ON transfers
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
CREATE TRIGGER transfers_are_append_only_delete BEFORE DELETE ON transfers
BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;

-- One row per durable commit (a group of callers' batches). Statements find an account's
-- transfers through it: a narrow commit lists its accounts in account_commits, a wide one
-- (more accounts than the narrow limit) keeps them as a sorted, delta-encoded blob, so a
-- commit of 8,190 random transfers writes one row here instead of 16,380 index entries.
CREATE TABLE commits (
    seq                INTEGER PRIMARY KEY,
    first_transfer_seq INTEGER NOT NULL,
    last_transfer_seq  INTEGER NOT NULL,
    timestamp          INTEGER NOT NULL,
    wide_accounts      BLOB
) STRICT;

CREATE INDEX commits_wide ON commits (seq) WHERE wide_accounts IS NOT NULL;
CREATE INDEX commits_by_timestamp ON commits (timestamp);

CREATE TABLE account_commits (
    account_id INTEGER NOT NULL,
    commit_seq INTEGER NOT NULL,
    PRIMARY KEY (account_id, commit_seq)
) STRICT, WITHOUT ROWID;

-- The same key with the same request returns the first result; a batch is contiguous in seq.
CREATE TABLE idempotency_keys (
    key                TEXT    PRIMARY KEY,
    request_hash       BLOB    NOT NULL,
    first_transfer_seq INTEGER NOT NULL,
    transfer_count     INTEGER NOT NULL,
    created_at         INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
