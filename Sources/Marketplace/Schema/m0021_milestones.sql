-- m0021: a task's milestones and where each one's money stands. The definitions (title,
-- amount, due date) live in the task's spec; a row per milestone carries its status and the
-- part of the task's fee split its funding fixed (escrow = payout + fee), NULL while pending.
CREATE TABLE task_milestones (
    task_id      TEXT    NOT NULL REFERENCES tasks (id),
    milestone_id TEXT    NOT NULL,
    position     INTEGER NOT NULL CHECK (position >= 0),
    status       TEXT    NOT NULL CHECK (status IN ('pending', 'funded', 'released', 'refunded')),
    escrow_minor INTEGER CHECK (escrow_minor > 0),
    payout_minor INTEGER CHECK (payout_minor >= 0),
    fee_minor    INTEGER CHECK (fee_minor >= 0),
    funded_at    INTEGER,
    released_at  INTEGER,
    refunded_at  INTEGER,
    PRIMARY KEY (task_id, milestone_id),
    UNIQUE (task_id, position),
    CHECK ((status = 'pending') = (escrow_minor IS NULL)),
    CHECK (escrow_minor IS NULL OR escrow_minor = payout_minor + fee_minor)
) STRICT;
