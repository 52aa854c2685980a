import Connectors
import Hummingbird
import LedgerCore
import Marketplace
import MarketplaceViews

/// What the platform charges and how it behaves: public, no credentials needed.
struct PlatformController: Sendable {
    let settlement: SettlementService
    let mode: String
    let rateLimits: RateLimits

    func addRoutes(to router: Router<APIContext>) {
        router.get("v1/pricing", use: pricing)
        router.get("v1/platform", use: platform)
    }

    @Sendable func pricing(_ request: Request, context: APIContext) async throws -> Envelope<PricingView> {
        Envelope(PricingView(settlement.pricing))
    }

    @Sendable func platform(_ request: Request, context: APIContext) async throws -> Envelope<PlatformView> {
        let limits = Dictionary(uniqueKeysWithValues: rateLimits.perMinute.map { ($0.key.rawValue, $0.value) })
        return Envelope(PlatformView(mode: mode, rateLimitsPerMinute: limits, settlement: settlement))
    }
}
