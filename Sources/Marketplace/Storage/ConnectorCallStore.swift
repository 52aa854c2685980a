/// The connector calls: one row per call the settlement service makes to a payment connector
/// or the chain (checkout, refund, payout, authorization), with the request kept whole so it can
/// be sent again byte for byte, where the call stands, and its failed attempts.
protocol ConnectorCallStore {
    /// Records a new call, pending, and answers its id.
    func insert(connector: String, kind: ConnectorCall.Kind, taskID: String, intentKey: String, idempotencyKey: String,
                request: ConnectorCall.Request, nowMicros: Int64) throws -> Int64
    func fetch(id: Int64) throws -> ConnectorCall?
    /// The call a connector's reference (a session, refund or transfer id) names.
    func fetch(connector: String, reference: String) throws -> ConnectorCall?
    /// A task's calls of `kind` (all of them when nil), oldest first.
    func forTask(_ taskID: String, kind: ConnectorCall.Kind?) throws -> [ConnectorCall]
    /// Calls that have not been answered yet, oldest first; only `taskID`'s when given, else
    /// only those whose wait after a failure is over by `dueBy` (all when nil).
    func pending(task taskID: String?, dueBy: Int64?) throws -> [ConnectorCall]
    /// A connector's calls of `kind` not answered for good yet (pending or sent), oldest first.
    func open(kind: ConnectorCall.Kind, connector: String) throws -> [ConnectorCall]
    /// The ids of a connector's calls of any kind not answered for good yet, oldest first.
    func openIDs(connector: String) throws -> [Int64]
    /// Settled payouts created since `since` and last read again before `checkedBefore`, least
    /// recently read first, at most `limit`.
    func settledPayouts(connector: String, since: Int64, checkedBefore: Int64, limit: Int) throws -> [ConnectorCall]
    /// Authorization calls whose reference starts with `referencePrefix` (`authorization:<payer>:`), oldest first.
    func authorizations(connector: String, referencePrefix: String) throws -> [ConnectorCall]
    /// Whether `connector` was ever asked to refund `paymentReference`.
    func refundsExist(connector: String, paymentReference: String) throws -> Bool
    /// The newest calls first, at most `limit`: only those of tasks `owner` posted in its mode
    /// when given; only those in `state` when given; only open ones with failed attempts when `failingOnly`.
    func latest(owner: (userID: String, mode: Mode)?, state: ConnectorCall.State?, failingOnly: Bool, limit: Int) throws -> [ConnectorCall]

    /// Moves a call on from `from` states only, keeping what it knew where nil is given; false
    /// when another writer got there first.
    func move(_ id: Int64, to state: ConnectorCall.State, from: Set<ConnectorCall.State>, reference: String?, url: String?,
              paymentReference: String?, error: String?, nowMicros: Int64) throws -> Bool
    /// Sets the call's reference (an authorization's payer and nonce, unique per connector).
    func setReference(_ reference: String, of id: Int64) throws
    /// Records the payment a call was paid with, unless one is known already.
    func notePaymentReference(_ paymentReference: String?, of id: Int64) throws
    /// Raises how much of a payout was taken back to `cumulativeMinor` (never lowers it).
    func recordReversal(of id: Int64, cumulativeMinor: Int64, nowMicros: Int64) throws
    /// Records when a settled payout's transfer was last read again.
    func markChecked(_ id: Int64, nowMicros: Int64) throws
    /// Records a failed attempt that is tried again at `nextAttemptAt`, with its error.
    func recordFailedAttempt(of id: Int64, attempts: Int, error: String, nextAttemptAt: Int64, nowMicros: Int64) throws
    /// Records the attempt count of a call given up after its last attempt.
    func recordAttempts(of id: Int64, attempts: Int, nowMicros: Int64) throws
    /// Starts the count of failed attempts again after an answer; the error of a call still in
    /// play (pending, sent or settled) is cleared, a failed call's kept.
    func resetAttempts(of id: Int64, nowMicros: Int64) throws
    /// Calls changed in [fromMicros, toMicros) with an error: pending or sent ones tried at
    /// least once, and failed ones whose error starts with `givenUpPrefix` or `refusedPrefix`.
    func troubled(fromMicros: Int64, toMicros: Int64, givenUpPrefix: String, refusedPrefix: String) throws -> [TroubledConnectorCall]
}
