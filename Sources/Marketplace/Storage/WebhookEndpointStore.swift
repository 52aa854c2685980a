/// The webhook endpoints: one row per endpoint of a user in a mode, with its URL, the event
/// types it receives, its sealed signing secret, whether it is enabled and its run of failures.
protocol WebhookEndpointStore {
    /// How many endpoints `userID` has in `mode`, enabled or not.
    func count(ofUser userID: String, mode: Mode) throws -> Int
    /// Adds an enabled endpoint; `events` are the validated event types, `secretSealed` the
    /// signing secret as `WebhookService.seal` made it, `format` the deliveries' format name.
    func insert(id: String, userID: String, mode: Mode, url: String, events: [String], description: String?, secretSealed: String,
                format: String, nowMicros: Int64) throws
    /// The endpoint `id` when it belongs to `userID` in `mode`.
    func fetch(_ id: String, userID: String, mode: Mode) throws -> WebhookEndpoint?
    /// The endpoints of `userID` in `mode`, oldest first.
    func list(userID: String, mode: Mode) throws -> [WebhookEndpoint]
    /// The enabled endpoints of `userID` in `mode` that receive `event`: their ids and URLs.
    func subscribed(to event: WebhookEvent, userID: String, mode: Mode) throws -> [(id: String, url: String)]
    /// Changes what is given (nil keeps it): `enabled: true` enables the endpoint and resets its
    /// failures, `enabled: false` disables it as its owner's choice.
    func update(_ id: String, url: String?, events: [String]?, description: String?, enabled: Bool?, nowMicros: Int64) throws
    func delete(_ id: String) throws
    /// The endpoint's sealed signing secret, nil when it no longer exists.
    func secretSealed(of id: String) throws -> String?
    /// Records a delivered attempt: the endpoint's run of failures starts again.
    func resetFailures(of id: String) throws
    /// Records a failed attempt, and disables the endpoint once `disableAfterFailures` failed in a row.
    func recordFailure(of id: String, nowMicros: Int64, disableAfterFailures: Int) throws
}
