/// What reconciliation reads of the payments side's tables, read only: the chain transactions
/// the hot wallet signed, the connector calls that fail or were failed, and the refused
/// connector events. The payments side's own stores write these rows.
protocol ReconciliationSourceStore {
    /// The hashes of every chain transaction the hot wallet signed, oldest first.
    func chainTransactionHashes() throws -> [String]
    /// Connector calls changed in [fromMicros, toMicros) with an error: pending or sent ones
    /// tried at least once, and failed ones whose error starts with `givenUpPrefix` or `refusedPrefix`.
    func troubledCalls(fromMicros: Int64, toMicros: Int64, givenUpPrefix: String, refusedPrefix: String) throws -> [TroubledConnectorCall]
    /// Connector events refused in [fromMicros, toMicros), oldest first.
    func refusedEvents(fromMicros: Int64, toMicros: Int64) throws -> [RefusedConnectorEvent]
}

/// A connector call with an error, as reconciliation reports it.
struct TroubledConnectorCall: Sendable {
    let id: Int64
    let connector: String
    let kind: String
    let taskID: String
    let state: String
    let attempts: Int
    let error: String
    /// What the call asked, nil when its stored request does not decode.
    let request: ConnectorCall.Request?
}

/// A connector event the settlement service refused, as reconciliation reports it.
struct RefusedConnectorEvent: Sendable {
    let connector: String
    let eventID: String
    let type: String
    let detail: String?
}
