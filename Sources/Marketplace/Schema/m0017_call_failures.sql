-- m0017: what a connector call's failures were, so none fails silently.
--
-- attempts: sends or reads that failed without a definite answer; next_attempt_at: the sweeper
-- does not try the call again before it (the wait doubles per attempt); checked_at: when a
-- settled payout's transfer was last read again (for reversals no event reported). After
-- SettlementService.callAttemptsMax attempts the call is failed for support (its intent voided,
-- as the kind's recipe says) and the error says so.
ALTER TABLE connector_calls ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE connector_calls ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE connector_calls ADD COLUMN checked_at INTEGER NOT NULL DEFAULT 0;

-- Why an event was refused (outcome 'refused': a funding whose amount, currency or mode is not
-- its intent's): recorded, never posted, and listed by reconciliation.
ALTER TABLE connector_events ADD COLUMN detail TEXT;
CREATE INDEX connector_events_refused ON connector_events (received_at) WHERE outcome = 'refused';
