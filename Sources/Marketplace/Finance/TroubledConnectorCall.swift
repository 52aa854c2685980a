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
