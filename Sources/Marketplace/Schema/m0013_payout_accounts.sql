-- m0013: where a person is paid outside the platform (a Stripe Connect account), per mode,
-- and how much of a payout the connector has taken back so far.
CREATE TABLE payout_accounts (
    user_id    TEXT    NOT NULL REFERENCES users (id),
    mode       TEXT    NOT NULL CHECK (mode IN ('test', 'live')),
    connector  TEXT    NOT NULL,
    account_id TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, mode, connector)
) STRICT;

ALTER TABLE connector_calls ADD COLUMN reversed_minor INTEGER NOT NULL DEFAULT 0 CHECK (reversed_minor >= 0);
