/// The connector events: one row per event id a connector delivered, with what came of it
/// (received while being applied, then its outcome) and why when it was refused, so a second
/// delivery of the same event does nothing.
protocol ConnectorEventStore {
    /// Whether `connector`'s event `eventID` was recorded before.
    func contains(connector: String, eventID: String) throws -> Bool
    /// Records an event as received, before acting on it; false when it was recorded before.
    func receive(connector: String, eventID: String, type: String, nowMicros: Int64) throws -> Bool
    /// Records what came of a received event.
    func settle(connector: String, eventID: String, outcome: ConnectorEventOutcome, detail: String?) throws
    /// Records an event already decided, unless it was recorded before.
    func record(connector: String, eventID: String, type: String, outcome: ConnectorEventOutcome, detail: String, nowMicros: Int64) throws
    /// Records a refused event with why; false when it was recorded before.
    func recordRefused(connector: String, eventID: String, type: String, detail: String, nowMicros: Int64) throws -> Bool
    /// Events refused in [fromMicros, toMicros), oldest first.
    func refused(fromMicros: Int64, toMicros: Int64) throws -> [RefusedConnectorEvent]
}
