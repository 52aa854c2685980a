-- m0001: marketplace accounts, sessions and API keys. Marketplace migrations are named m…;
-- the ledger's (v…) live in Ledger/migrations. Secrets are stored only as SHA-256 hashes
-- (API keys and refresh tokens are 256-bit random values) or bcrypt (passwords).

CREATE TABLE users (
    id            TEXT    PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT    NOT NULL,
    full_name     TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('agent', 'client', 'human')),
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE refresh_tokens (
    token_hash BLOB    PRIMARY KEY,
    user_id    TEXT    NOT NULL REFERENCES users (id),
    mode       TEXT    NOT NULL CHECK (mode IN ('test', 'live')),
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT, WITHOUT ROWID;

CREATE TABLE api_keys (
    id           TEXT    PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users (id),
    name         TEXT    NOT NULL,
    mode         TEXT    NOT NULL CHECK (mode IN ('test', 'live')),
    secret_hash  BLOB    NOT NULL UNIQUE,
    last_four    TEXT    NOT NULL,
    scopes       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER
) STRICT;

CREATE INDEX api_keys_active_by_user ON api_keys (user_id) WHERE revoked_at IS NULL;
