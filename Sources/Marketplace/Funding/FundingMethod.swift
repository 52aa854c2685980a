/// How a task is to be funded: the one request every edge (REST, MCP, the CLI) builds.
public enum FundingMethod: Sendable, Hashable {
    /// From the owner's prepaid wallet.
    case wallet
    /// Through the test connector, which pays at once (test mode only).
    case testConnector
    /// By card through a hosted checkout; the pages the payer returns to (the connector's
    /// defaults when nil).
    case card(successURL: String?, cancelURL: String?)
    /// In USDC by a signed EIP-3009 authorization, as x402 clients pay; without `payment` the
    /// answer is what to sign. `resource` is the URL x402 names.
    case usdc(payment: X402.Payment?, resource: String)

    /// True for the methods that fund (or wait for approval) in the request's own commit, whose
    /// answer a client's Idempotency-Key stores.
    public var fundsAtOnce: Bool {
        switch self {
        case .wallet, .testConnector: true
        case .card, .usdc: false
        }
    }
}
