-- m0002: tasks. One row per task; the spec is kept as JSON text (validated before it is
-- written) with the columns that lists filter and sort on beside it.
CREATE TABLE tasks (
    id            TEXT    PRIMARY KEY,
    mode          TEXT    NOT NULL CHECK (mode IN ('test', 'live')),
    owner_id      TEXT    NOT NULL REFERENCES users (id),
    status        TEXT    NOT NULL,
    category      TEXT    NOT NULL,
    location_type TEXT    NOT NULL,
    urgency       TEXT    NOT NULL,
    spec          TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX tasks_by_mode_status ON tasks (mode, status, created_at DESC, id DESC);
CREATE INDEX tasks_by_owner ON tasks (owner_id, mode, created_at DESC, id DESC);
