-- m0014: USDC on Base. Authorization fundings join the connector calls; the chain
-- transactions that carry payouts and settlements, signed and stored before broadcast; the
-- hot wallet's nonce sequence; the addresses agents pay from; the deposits seen on chain.

-- connector_calls again, with kind 'authorization' (an EIP-3009 funding, settled on chain).
CREATE TABLE connector_calls_v2 (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    connector       TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('checkout', 'refund', 'payout', 'authorization')),
    task_id         TEXT    NOT NULL REFERENCES tasks (id),
    intent_key      TEXT    NOT NULL UNIQUE,
    idempotency_key TEXT    NOT NULL UNIQUE,
    request         TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'settled', 'failed')),
    reference       TEXT,
    url             TEXT,
    payment_ref     TEXT,
    error           TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    reversed_minor  INTEGER NOT NULL DEFAULT 0 CHECK (reversed_minor >= 0)
) STRICT;
INSERT INTO connector_calls_v2 (id, connector, kind, task_id, intent_key, idempotency_key, request, state, reference, url, payment_ref, error,
                                created_at, updated_at, reversed_minor)
    SELECT id, connector, kind, task_id, intent_key, idempotency_key, request, state, reference, url, payment_ref, error,
           created_at, updated_at, reversed_minor FROM connector_calls;
DROP TABLE connector_calls;
ALTER TABLE connector_calls_v2 RENAME TO connector_calls;
CREATE INDEX connector_calls_task ON connector_calls (task_id, kind);
CREATE INDEX connector_calls_open ON connector_calls (id) WHERE state IN ('pending', 'sent');
CREATE UNIQUE INDEX connector_calls_reference ON connector_calls (connector, reference) WHERE reference IS NOT NULL;

-- Every transaction the hot wallet signed for a call, in the commit that allocated its nonce,
-- before it is broadcast. A replacement is a new row with the same nonce and higher fees.
-- state: signed (stored, not yet accepted by a node) -> sent -> replaced | abandoned.
CREATE TABLE chain_transactions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id     INTEGER NOT NULL REFERENCES connector_calls (id),
    nonce       INTEGER NOT NULL CHECK (nonce >= 0),
    hash        TEXT    NOT NULL UNIQUE,
    raw         TEXT    NOT NULL,
    max_fee     INTEGER NOT NULL,
    tip         INTEGER NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('signed', 'sent', 'replaced', 'abandoned')),
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER,
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX chain_transactions_call ON chain_transactions (call_id, id);

-- The hot wallet's next nonce: allocated one at a time in a commit, resynced from the node's
-- pending count on start and after "nonce too low".
CREATE TABLE chain_nonces (
    address    TEXT    PRIMARY KEY,
    next_nonce INTEGER NOT NULL CHECK (next_nonce >= 0)
) STRICT;

-- Addresses an agent pays deposits from; one owner per address and mode.
CREATE TABLE deposit_addresses (
    address    TEXT    NOT NULL,
    mode       TEXT    NOT NULL CHECK (mode IN ('test', 'live')),
    user_id    TEXT    NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (address, mode)
) STRICT;

-- Token transfers into the hot wallet, once per (transaction, log index). seen: found in an
-- unsafe block, rescanned each pass; credited: in a wallet; unmatched: safe, from an address
-- nobody registered (finance returns it by hand).
CREATE TABLE chain_deposits (
    tx_hash      TEXT    NOT NULL,
    log_index    INTEGER NOT NULL,
    block_number INTEGER NOT NULL,
    block_hash   TEXT    NOT NULL,
    from_address TEXT    NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    user_id      TEXT,
    mode         TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('seen', 'credited', 'unmatched')),
    seen_at      INTEGER NOT NULL,
    credited_at  INTEGER,
    PRIMARY KEY (tx_hash, log_index)
) STRICT;
CREATE INDEX chain_deposits_open ON chain_deposits (block_number) WHERE state = 'seen';

-- How far each watcher has read the chain for good: blocks at or below are final for it.
CREATE TABLE chain_cursors (
    name  TEXT    PRIMARY KEY,
    block INTEGER NOT NULL CHECK (block >= 0)
) STRICT;
