-- m0008: anonymous tasks and their tokens, how a task was funded, and spend policies on keys.
-- A task token (tt_…) manages exactly one task; only its SHA-256 is kept.
CREATE TABLE task_tokens (
    token_hash     BLOB    PRIMARY KEY,
    task_id        TEXT    NOT NULL UNIQUE REFERENCES tasks (id),
    user_id        TEXT    NOT NULL REFERENCES users (id),
    client_address TEXT    NOT NULL,
    created_at     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX task_tokens_by_address ON task_tokens (client_address);

-- 'wallet' (recipe 1) or 'connector' (recipe 7, the test connector settles at once), and the
-- API key that funded it, for spend policies' daily totals.
ALTER TABLE task_funding ADD COLUMN source TEXT NOT NULL DEFAULT 'wallet';
ALTER TABLE task_funding ADD COLUMN key_id TEXT;
CREATE INDEX task_funding_by_key ON task_funding (key_id, funded_at) WHERE key_id IS NOT NULL;

-- A key's spend policy: caps in one asset's minor units. Above a cap, funding waits for the
-- account owner's approval.
ALTER TABLE api_keys ADD COLUMN spend_asset TEXT;
ALTER TABLE api_keys ADD COLUMN spend_per_task_minor INTEGER;
ALTER TABLE api_keys ADD COLUMN spend_per_day_minor INTEGER;

CREATE TABLE funding_approvals (
    id           TEXT    PRIMARY KEY,
    task_id      TEXT    NOT NULL REFERENCES tasks (id),
    user_id      TEXT    NOT NULL REFERENCES users (id),
    key_id       TEXT    NOT NULL REFERENCES api_keys (id),
    amount_minor INTEGER NOT NULL,
    asset        TEXT    NOT NULL,
    reason       TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
    created_at   INTEGER NOT NULL,
    decided_at   INTEGER
) STRICT;

CREATE UNIQUE INDEX funding_approvals_one_pending ON funding_approvals (task_id) WHERE status = 'pending';
CREATE INDEX funding_approvals_by_user ON funding_approvals (user_id, created_at);
