-- m0007: stored responses for Idempotency-Key. One row per (caller, key): the request's
-- fingerprint (SHA-256 of method, path and body) and, once answered, the response. A row
-- without a status is a request still in flight.
CREATE TABLE idempotent_requests (
    scope        TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    fingerprint  BLOB    NOT NULL,
    status       INTEGER,
    content_type TEXT,
    body         BLOB,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) STRICT, WITHOUT ROWID;

CREATE INDEX idempotent_requests_by_age ON idempotent_requests (created_at);
