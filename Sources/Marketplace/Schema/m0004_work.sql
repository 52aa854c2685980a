-- m0004: applications and submissions, and the worker a task is assigned to.
ALTER TABLE tasks ADD COLUMN worker_id TEXT REFERENCES users (id);

CREATE TABLE applications (
    id           TEXT    PRIMARY KEY,
    task_id      TEXT    NOT NULL REFERENCES tasks (id),
    applicant_id TEXT    NOT NULL REFERENCES users (id),
    message      TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
    created_at   INTEGER NOT NULL,
    UNIQUE (task_id, applicant_id)
) STRICT;

CREATE TABLE submissions (
    id           TEXT    PRIMARY KEY,
    task_id      TEXT    NOT NULL REFERENCES tasks (id),
    worker_id    TEXT    NOT NULL REFERENCES users (id),
    deliverables TEXT    NOT NULL,
    note         TEXT,
    status       TEXT    NOT NULL CHECK (status IN ('submitted', 'approved', 'revision_requested')),
    feedback     TEXT,
    created_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX submissions_by_task ON submissions (task_id, created_at);
