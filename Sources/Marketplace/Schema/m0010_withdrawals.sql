-- m0010: withdrawals of a wallet's money through a connector. The intent (recipe 15) is
-- recorded before the connector is asked; its settlement (16 + 17) or its void (18) after.
CREATE TABLE withdrawals (
    id           TEXT    PRIMARY KEY,
    user_id      TEXT    NOT NULL REFERENCES users (id),
    mode         TEXT    NOT NULL CHECK (mode IN ('test', 'live')),
    asset        TEXT    NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    connector    TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'paid', 'failed')),
    created_at   INTEGER NOT NULL,
    settled_at   INTEGER
) STRICT;

CREATE INDEX withdrawals_by_user ON withdrawals (user_id, mode, created_at);
