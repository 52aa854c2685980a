-- m0012: calls to payment connectors and the events they send back.
--
-- A connector call is recorded in the same commit as the ledger intent it stands for, before
-- the connector is asked; its idempotency key is derived from that intent, so a call sent
-- again after a stop is answered once. state: pending (recorded, no answer yet) -> sent (the
-- connector took it and the money's fate is not known yet) -> settled | failed (the intent
-- posted or voided).
CREATE TABLE connector_calls (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    connector       TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('checkout', 'refund', 'payout')),
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
    updated_at      INTEGER NOT NULL
) STRICT;

CREATE INDEX connector_calls_task ON connector_calls (task_id, kind);
CREATE INDEX connector_calls_open ON connector_calls (id) WHERE state IN ('pending', 'sent');
CREATE UNIQUE INDEX connector_calls_reference ON connector_calls (connector, reference) WHERE reference IS NOT NULL;

-- Each connector event acted on once, whatever order or how often it arrives.
CREATE TABLE connector_events (
    connector   TEXT    NOT NULL,
    event_id    TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    outcome     TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (connector, event_id)
) STRICT;
