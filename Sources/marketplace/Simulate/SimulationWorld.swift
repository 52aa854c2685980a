import AsyncHTTPClient
import BaseConnector
import BaseFake
import Connectors
import LedgerCore
import Logging
import LoopbackServer
import Marketplace
import MarketplaceHTTP
import NIOCore
import StripeConnector
import StripeFake

/// Everything a run talks to: the real services on a fresh SQLite file under a manual clock,
/// the real Stripe and Base connectors pointed at their fakes over loopback, the API served on
/// a loopback port, and one HTTP client for all of it, shut down when the run ends.
struct SimulationWorld: Sendable {
    let clock: ManualClock
    let services: Services
    let stripe: StripeEvents
    let node: FakeBaseNode
    let hotWallet: EthereumAddress
    let api: APIClient
    let chain: ChainRounds

    var ledger: Ledger { services.ledger }

    /// Moves the marketplace's clock and the chain's together.
    func advance(seconds: Int64) {
        clock.advance(seconds: seconds)
        node.advanceClock(seconds: seconds)
    }

    /// The hot wallet's gas money: far more than any run spends.
    static let hotWalletWei: UInt64 = 1_000_000_000_000_000_000
    /// Where a paid checkout page would send the payer; nobody follows it in a simulation.
    static let checkoutReturnURL = "https://simulate.invalid/checkout"

    /// Builds the world on a new database at `path`, runs `body` in it, and takes it down in
    /// reverse order (API, fakes, database, HTTP client), also when `body` throws.
    static func run<T: Sendable>(path: String, pricing: Pricing, hotWalletKey: [UInt8], connections: Int,
                                 _ body: @escaping @Sendable (SimulationWorld) async throws -> T) async throws -> T {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let result: T
        do {
            result = try await withFakes(path: path, pricing: pricing, hotWalletKey: hotWalletKey, http: http, body)
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        return result
    }

    private static func withFakes<T: Sendable>(path: String, pricing: Pricing, hotWalletKey: [UInt8], http: HTTPClient,
                                               _ body: @escaping @Sendable (SimulationWorld) async throws -> T) async throws -> T {
        let clock = ManualClock()
        let key = try HotWalletKey(privateKey: hotWalletKey)
        let stripe = FakeStripe(nowSeconds: clock.now / 1_000_000)
        let node = FakeBaseNode(network: .baseSepolia, startSeconds: clock.now / 1_000_000)
        node.setETHBalance(of: key.address, wei: hotWalletWei)
        return try await FakeStripeServer.run(stripe) { stripeURL in
            try await FakeBaseServer.run(node) { nodeURL in
                let card = CardPayments(connector: StripeConnector(secretKey: stripe.secretKey, webhookSecrets: [stripe.webhookSecret], baseURL: stripeURL, http: http),
                                        successURL: checkoutReturnURL + "/success", cancelURL: checkoutReturnURL + "/cancel")
                let chain = ChainPayments(chain: BaseChain(network: .baseSepolia, rpc: EthereumRPC(url: nodeURL, http: http), key: key), mode: .test)
                let (services, store) = try await Self.services(path: path, pricing: pricing, clock: clock, card: card, chain: chain)
                defer {
                    store.close()
                    services.ledger.close()
                }
                try await services.settlement.startChain()
                let router = buildRouter(services: services, mode: "test", rateLimits: .unlimited)
                return try await LoopbackServer.run(router: router, logger: Logger(label: "simulate-api")) { apiURL in
                    let api = APIClient(http: http, baseURL: apiURL)
                    let rounds = ChainRounds(node: node, settlement: services.settlement)
                    let world = SimulationWorld(clock: clock, services: services, stripe: StripeEvents(fake: stripe, api: api, clock: clock),
                                                node: node, hotWallet: key.address, api: api, chain: rounds)
                    return try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { await rounds.run() }
                        defer { rounds.finish() }
                        return try await body(world)
                    }
                }
            }
        }
    }

    /// The real services, built as `marketplace serve` builds them, on the run's clock; bcrypt
    /// at cost 4 only so that signing up hundreds of users stays quick.
    private static func services(path: String, pricing: Pricing, clock: ManualClock, card: CardPayments, chain: ChainPayments) async throws
        -> (services: Services, store: MarketplaceStore) {
        let ledger = try Ledger(path: path, clock: clock.ledgerClock)
        _ = try await ChartOfAccounts.standard.install(in: ledger)
        let store = try MarketplaceStore(ledger: ledger)
        let tokens = try await TokenIssuer(secret: TokenIssuer.randomSecret())
        // No endpoint subscribes during a run: the key that would seal their secrets lives only in memory.
        let services = Services.assemble(ledger: ledger, store: store, tokens: tokens,
                                         ServiceSettings(clock: clock.ledgerClock, pricing: pricing, card: card, chain: chain, bcryptCost: 4,
                                                         webhooks: (TokenIssuer.randomSecret(), .init())))
        return (services, store)
    }
}
