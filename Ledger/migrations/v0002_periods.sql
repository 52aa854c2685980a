-- v0002: closed accounting periods. A period is [starts_at, ends_at) in microseconds since
-- 1970. Closing one records where the journal stood (the last row stamped before its end
-- and that row's hash) and raises the writer's timestamp floor to ends_at, so no later row
-- can ever be stamped inside it: a correction lands in the open period, naming what it fixes.
CREATE TABLE closed_periods (
    name       TEXT    PRIMARY KEY,
    starts_at  INTEGER NOT NULL,
    ends_at    INTEGER NOT NULL,
    last_seq   INTEGER NOT NULL,            -- 0 when the journal was empty at the period's end
    last_hash  BLOB    NOT NULL,
    closed_at  INTEGER NOT NULL,
    closed_by  TEXT    NOT NULL,
    CHECK (starts_at < ends_at)
) STRICT, WITHOUT ROWID;

CREATE UNIQUE INDEX closed_periods_by_end ON closed_periods (ends_at);
