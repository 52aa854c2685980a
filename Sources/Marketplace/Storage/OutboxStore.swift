/// The outbox: the events written in the commit of the change that caused them, a delivery
/// per event and target with where it stands, and every attempt made to send a delivery.
protocol OutboxStore {
    /// Appends an event and answers its sequence number (the order deliveries are sent in).
    func appendEvent(id: String, userID: String, mode: Mode, event: WebhookEvent, taskID: String?, data: String?, nowMicros: Int64) throws -> Int64
    /// Adds a pending delivery of event `seq` to `target`, due at once; a second one for the same
    /// event and target is ignored. `endpointID` is nil for a task's callback URL.
    func addDelivery(seq: Int64, target: String, endpointID: String?, url: String, taskID: String?, nowMicros: Int64) throws
    /// The deliveries to `target`, newest event first.
    func deliveries(to target: String, limit: Int) throws -> [WebhookDelivery]
    func delivery(_ id: Int64) throws -> WebhookDelivery?
    /// Makes delivery `id` to `target` pending again with no attempts, due at `nowMicros`;
    /// false when `target` has no such delivery.
    func redeliver(_ id: Int64, to target: String, nowMicros: Int64) throws -> Bool
    /// Unties the deliveries of a deleted endpoint from it, its pending ones failed first.
    func detach(endpoint id: String) throws
    /// Pending deliveries due at `nowMicros`, in event order: only the oldest pending one of each
    /// (target, task), and only to a callback URL or an enabled endpoint.
    func due(nowMicros: Int64, limit: Int) throws -> [WebhookService.DueDelivery]
    /// Records attempt number `attempt` of delivery `deliveryID` (`error` already cut to length).
    func recordAttempt(deliveryID: Int64, attempt: Int, status: Int?, error: String?, durationMillis: Int64, nowMicros: Int64) throws
    /// Marks the delivery delivered after `attempts` attempts, the last answered with `status`.
    func markDelivered(_ id: Int64, attempts: Int, status: Int?, nowMicros: Int64) throws
    /// Records a failed attempt: the delivery is retried at `nextAttemptAt`, or failed for good
    /// when `exhausted`.
    func markFailed(_ id: Int64, exhausted: Bool, attempts: Int, status: Int?, error: String?, nextAttemptAt: Int64) throws
}
