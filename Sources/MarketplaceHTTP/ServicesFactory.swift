public import LedgerCore
public import Logging
public import Marketplace
import MarketplaceViews

/// What varies between the places that assemble the services (serve, bench, simulate, the
/// tests); everything else is the same for all of them.
public struct ServiceSettings: Sendable {
    public var clock: LedgerClock
    public var pricing: Pricing
    public var card: CardPayments?
    public var chain: ChainPayments?
    /// Where the settlement service logs connector failures and refused events.
    public var logger: Logger?
    /// bcrypt's cost for new passwords (lower only where a run signs up many users quickly).
    public var bcryptCost: UInt8
    public var riskGate: RiskGate
    /// Outbound webhooks: the key that seals their secrets and their policy; nil answers their routes 404.
    public var webhooks: (secretsKey: [UInt8], policy: WebhookService.Policy)?
    /// What scores submissions' proof: the rules (`RuleVerifier`) unless an operator's verifier is configured.
    public var verifier: any ProofVerifier = RuleVerifier()

    public init(clock: LedgerClock = .system, pricing: Pricing = .standard, card: CardPayments? = nil, chain: ChainPayments? = nil,
                logger: Logger? = nil, bcryptCost: UInt8 = PasswordHasher.costStandard, riskGate: RiskGate = .standard,
                webhooks: (secretsKey: [UInt8], policy: WebhookService.Policy)? = nil) {
        self.clock = clock
        self.pricing = pricing
        self.card = card
        self.chain = chain
        self.logger = logger
        self.bcryptCost = bcryptCost
        self.riskGate = riskGate
        self.webhooks = webhooks
    }
}

extension Services {
    /// The one way the services are assembled over a ledger and its marketplace store.
    public static func assemble(ledger: Ledger, store: MarketplaceStore, tokens: TokenIssuer, _ settings: ServiceSettings = .init()) -> Services {
        let clock = settings.clock
        var settlement = SettlementService(ledger: ledger, store: store, pricing: settings.pricing, clock: clock)
        settlement.card = settings.card
        settlement.chain = settings.chain
        if let logger = settings.logger { settlement.logger = logger }
        var services = Services(ledger: ledger, auth: AuthService(store: store, tokens: tokens, bcryptCost: settings.bcryptCost), keys: KeyService(store: store),
                                tasks: TaskService(store: store, clock: clock, riskGate: settings.riskGate), settlement: settlement,
                                work: WorkService(store: store, settlement: settlement, clock: clock, verifier: settings.verifier), profiles: ProfileService(store: store, clock: clock),
                                idempotency: IdempotencyStore(store: store, clock: clock), messages: MessageService(store: store, clock: clock))
        if let webhooks = settings.webhooks {
            services.webhooks = WebhookService(store: store, secretsKey: webhooks.secretsKey, policy: webhooks.policy, clock: clock,
                                               formats: DialectWebhookFormats.all)
        }
        return services
    }
}
