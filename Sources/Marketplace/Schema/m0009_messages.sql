-- m0009: messages between a task's owner and one applicant (a thread per applicant), and
-- notifications for everyone, written in the same transaction as the event they report.
CREATE TABLE messages (
    id           TEXT    PRIMARY KEY,
    task_id      TEXT    NOT NULL REFERENCES tasks (id),
    applicant_id TEXT    NOT NULL REFERENCES users (id),
    sender_id    TEXT    NOT NULL REFERENCES users (id),
    body         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX messages_by_thread ON messages (task_id, applicant_id, created_at);

CREATE TABLE notifications (
    id         TEXT    PRIMARY KEY,
    user_id    TEXT    NOT NULL REFERENCES users (id),
    mode       TEXT    NOT NULL CHECK (mode IN ('test', 'live')),
    kind       TEXT    NOT NULL,
    task_id    TEXT,
    text       TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    read_at    INTEGER
) STRICT;

CREATE INDEX notifications_by_user ON notifications (user_id, mode, created_at DESC);
CREATE INDEX notifications_unread ON notifications (user_id, mode) WHERE read_at IS NULL;
