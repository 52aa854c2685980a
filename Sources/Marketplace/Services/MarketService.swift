public import LedgerCore

/// Whether a service is offered: published services are listed and ordered; an unpublished
/// one is seen by its provider only.
public enum ServiceStatus: String, Sendable, Hashable, Codable, CaseIterable { case published, unpublished }

/// A service as stored and shown (seed 000): what a provider (a human, or an agent account
/// offering an AI service) offers at a set price. (Named so, not `Service`, to stay clear of
/// the server's lifecycle type.)
public struct MarketService: Sendable, Hashable {
    public let id: String
    public let mode: Mode
    /// Who offers it and does the work of its orders.
    public let providerID: String
    public var status: ServiceStatus
    public var spec: ServiceSpec
    public let createdAt: Int64
    public var updatedAt: Int64
}

/// A service draft that passed every check, in the units the marketplace stores.
public struct ServiceSpec: Sendable, Hashable, Codable {
    public var title: String
    public var description: String
    public var category: String
    /// fixed: `priceMinor` is the whole price; hourly: it is the rate per hour.
    public var priceType: BudgetType
    public var asset: Asset
    public var priceMinor: Int64
    /// Days from the order to delivery; an order's deadline.
    public var deliveryDays: Int
    public var locationType: LocationType
    /// Where a local service is done (city, state or address); nil for a remote one.
    public var location: String?
}

/// A page of services, newest first.
public struct ServicePage: Sendable, Hashable {
    public let services: [ListedService]
    public let hasMore: Bool
    public let nextCursor: String?
    /// With offset pagination: how many services match in all, and the offset of this page.
    public let count: Int?
    public let offset: Int?
}

/// A provider as a service shows them: their id and public name, nothing private.
public struct ServiceProvider: Sendable, Hashable {
    public let id: String
    /// The worker profile's display name, else the account's full name.
    public let displayName: String
    /// Verified by an admin (worker profiles only).
    public let verified: Bool
}

/// A service with its provider's public details, as reads answer it.
public struct ListedService: Sendable, Hashable {
    public let service: MarketService
    public let provider: ServiceProvider
}
