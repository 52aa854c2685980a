/// A connector event the settlement service refused, as reconciliation reports it.
struct RefusedConnectorEvent: Sendable {
    let connector: String
    let eventID: String
    let type: String
    let detail: String?
}
