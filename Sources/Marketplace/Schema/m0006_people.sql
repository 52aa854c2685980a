-- m0006: admins, worker profiles, disputes, and submissions that can be rejected or declined.
-- An admin is granted from the command line (`marketplace admin grant`), never by registering.
ALTER TABLE users ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0;

CREATE TABLE worker_profiles (
    user_id      TEXT    PRIMARY KEY REFERENCES users (id),
    display_name TEXT    NOT NULL,
    headline     TEXT,
    city         TEXT,
    country      TEXT,
    skills       TEXT    NOT NULL,
    available    INTEGER NOT NULL,
    verified     INTEGER NOT NULL DEFAULT 0,
    updated_at   INTEGER NOT NULL
) STRICT;

-- One dispute per task. Its split is fixed when an admin resolves it; the ledger posts it
-- through recipe 22-24 under the key 'dispute:{task}'.
CREATE TABLE disputes (
    id              TEXT    PRIMARY KEY,
    task_id         TEXT    NOT NULL UNIQUE REFERENCES tasks (id),
    opened_by       TEXT    NOT NULL REFERENCES users (id),
    reason          TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('open', 'resolved')),
    to_worker_minor INTEGER,
    to_payer_minor  INTEGER,
    fee_minor       INTEGER,
    resolution      TEXT,
    created_at      INTEGER NOT NULL,
    resolved_at     INTEGER
) STRICT;

-- Submissions gain 'rejected' (with a reason) and 'declined' (a bounty's other entries).
CREATE TABLE submissions_v2 (
    id           TEXT    PRIMARY KEY,
    task_id      TEXT    NOT NULL REFERENCES tasks (id),
    worker_id    TEXT    NOT NULL REFERENCES users (id),
    deliverables TEXT    NOT NULL,
    note         TEXT,
    status       TEXT    NOT NULL CHECK (status IN ('submitted', 'approved', 'revision_requested', 'rejected', 'declined')),
    feedback     TEXT,
    created_at   INTEGER NOT NULL
) STRICT;
INSERT INTO submissions_v2 SELECT id, task_id, worker_id, deliverables, note, status, feedback, created_at FROM submissions;
DROP TABLE submissions;
ALTER TABLE submissions_v2 RENAME TO submissions;
CREATE INDEX submissions_by_task ON submissions (task_id, created_at);
CREATE INDEX applications_by_applicant ON applications (applicant_id, created_at);
