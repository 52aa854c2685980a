public import Connectors

/// Card payments through a connector that opens hosted checkouts (Stripe): where its pages
/// send the payer back, how long a page stays open, and a test hook that stops the process at
/// a named point (for the crash tests; nil in production).
public struct CardPayments: Sendable {
    public let connector: any PaymentConnector
    public var successURL: String
    public var cancelURL: String
    /// Stripe accepts 30 minutes to 24 hours.
    public var sessionLifetimeSeconds: Int64
    public var crashPoint: CrashPoint?
    /// Test or live, as the connector's key says (a Stripe sk_test_ key moves rehearsal money):
    /// card funding takes keys of this mode only, and its money lives in accounts of this mode.
    public var mode: Mode { connector.isTestMode ? .test : .live }

    /// Where a crash test stops the process: after the ledger intent is committed and before
    /// the connector is called, or after the connector answered and before the ledger hears it.
    public enum CrashPoint: String, Sendable {
        case afterIntent = "after-intent"
        case afterConnectorCall = "after-connector-call"
    }

    public init(connector: any PaymentConnector, successURL: String, cancelURL: String, sessionLifetimeSeconds: Int64 = 23 * 3_600,
                crashPoint: CrashPoint? = nil) {
        self.connector = connector
        self.successURL = successURL
        self.cancelURL = cancelURL
        self.sessionLifetimeSeconds = sessionLifetimeSeconds
        self.crashPoint = crashPoint
    }
}

/// A checkout opened for a task: where to send the payer, and where it stands.
public struct CardCheckout: Sendable, Hashable {
    public enum Status: String, Sendable {
        /// Waiting for the payer.
        case open
        /// Paid: the task is funded.
        case paid
        /// Expired or failed: open another one to fund the task.
        case failed
    }

    public let taskID: String
    public let sessionID: String?
    public let checkoutURL: String?
    public let status: Status
    public let amountMinor: Int64
    public let asset: String
}

/// One recorded connector call, as the settlement service keeps it.
struct ConnectorCall: Sendable {
    enum Kind: String, Sendable { case checkout, refund, payout, authorization }
    enum State: String, Sendable { case pending, sent, settled, failed }

    /// What the call asks, kept so it can be sent again byte for byte.
    struct Request: Codable, Sendable {
        var amountMinor: Int64
        var currency: String
        var asset: String
        var escrowMinor: Int64?
        var payoutMinor: Int64?
        var feeMinor: Int64?
        var feeRule: String?
        var productName: String?
        var successURL: String?
        var cancelURL: String?
        var expiresAtSeconds: Int64?
        var paymentReference: String?
        var destination: String?
        var userID: String?
        /// An agent's EIP-3009 authorization, settled on chain for a funding.
        var authorization: ChainAuthorization?
        /// The chain's latest block when the authorization was checked unused: its use, by the
        /// hot wallet or anyone else, lies in a later block.
        var acceptedBlock: UInt64?
    }

    var id: Int64
    var connector: String
    var kind: Kind
    var taskID: String
    var intentKey: String
    var idempotencyKey: String
    var request: Request
    var state: State
    var reference: String?
    var url: String?
    var paymentReference: String?
    var error: String?
    /// How much of a payout the connector took back so far.
    var reversedMinor: Int64 = 0
    var createdAt: Int64 = 0
    var updatedAt: Int64 = 0
    /// Sends or reads in a row that got no definite answer; the sweeper waits until
    /// `nextAttemptAt` before the next one, and gives up at `SettlementService.callAttemptsMax`.
    var attempts = 0
    var nextAttemptAt: Int64 = 0
}
