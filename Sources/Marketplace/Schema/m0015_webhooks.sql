-- m0015: signed outbound webhooks from a durable outbox.
--
-- An event is written in the same commit as the change that caused it, with one delivery per
-- endpoint (and per task callback_url) that wants it; a change that rolls back leaves neither.
-- A dispatcher sends deliveries in event order per (target, task), retrying with backoff.

-- A user's endpoints, per mode. The signing secret is sealed (AES-256-GCM under the server's
-- secrets key), never stored in the clear, shown once at creation.
CREATE TABLE webhook_endpoints (
    id             TEXT    PRIMARY KEY,
    user_id        TEXT    NOT NULL REFERENCES users (id),
    mode           TEXT    NOT NULL CHECK (mode IN ('test', 'live')),
    url            TEXT    NOT NULL,
    events         TEXT    NOT NULL,
    description    TEXT,
    secret_sealed  TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('enabled', 'disabled')),
    failures       INTEGER NOT NULL DEFAULT 0,
    disabled_reason TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX webhook_endpoints_owner ON webhook_endpoints (user_id, mode);

-- The signing secret for a user's task callback_url deliveries (sealed like an endpoint's).
CREATE TABLE webhook_callback_secrets (
    user_id       TEXT    NOT NULL REFERENCES users (id),
    mode          TEXT    NOT NULL CHECK (mode IN ('test', 'live')),
    secret_sealed TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (user_id, mode)
) STRICT;

CREATE TABLE outbox_events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT    NOT NULL UNIQUE,
    user_id    TEXT    NOT NULL,
    mode       TEXT    NOT NULL,
    type       TEXT    NOT NULL,
    task_id    TEXT,
    data       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

-- One per (event, target). target is the endpoint id, or 'callback:<task>' for a task's
-- callback_url. state: pending -> delivered | failed (retries exhausted, or the endpoint gone).
CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    event_seq       INTEGER NOT NULL REFERENCES outbox_events (seq),
    target          TEXT    NOT NULL,
    endpoint_id     TEXT,
    url             TEXT    NOT NULL,
    task_id         TEXT,
    state           TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_status     INTEGER,
    last_error      TEXT,
    delivered_at    INTEGER,
    UNIQUE (event_seq, target)
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (target, task_id, event_seq);

CREATE TABLE webhook_attempts (
    delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries (id),
    attempt     INTEGER NOT NULL,
    status      INTEGER,
    error       TEXT,
    duration_ms INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
) STRICT;
