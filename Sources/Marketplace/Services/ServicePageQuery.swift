import LedgerCore

/// One page of services as a caller asks for it, every filter checked: newest first, keyset
/// pagination on (created_at, id) with the cursor format task listings use.
struct ServicePageQuery: Sendable {
    let mode: Mode
    /// Only this provider's services, in any status (`mine`); otherwise published ones.
    let providerID: String?
    let text: String?
    let category: String?
    let asset: Asset?
    let minPriceMinor: Int64?
    let maxPriceMinor: Int64?
    let priceType: BudgetType?
    let locationType: LocationType?
    let before: (createdAt: Int64, id: String)?
    let offset: Int?
    let limit: Int

    /// `callerID` is nil for a read without credentials, which sees published services only.
    init(_ filter: ServiceFilter, mode: Mode, callerID: String?) throws(MarketplaceError) {
        guard (1...ServiceFilter.limitMax).contains(filter.limit) else {
            throw .validation(field: "limit", message: "limit must be 1 to \(ServiceFilter.limitMax)")
        }
        limit = filter.limit
        self.mode = mode
        if filter.mine {
            guard let callerID else { throw .unauthorized("mine=true lists your own services: send your credentials") }
            providerID = callerID
        } else {
            providerID = nil
        }
        text = try Self.text(filter.query)
        if let category = filter.category, Category.named(category) == nil {
            throw .validation(field: "category", message: "unknown category '\(category)'; see GET /v1/categories")
        }
        category = filter.category
        (asset, minPriceMinor, maxPriceMinor) = try Self.priceRange(filter)
        priceType = try filter.priceType.map { (value) throws(MarketplaceError) -> BudgetType in try TaskDraft.choice(value, field: "price_type") }
        locationType = try filter.locationType.map { (value) throws(MarketplaceError) -> LocationType in try TaskDraft.choice(value, field: "location_type") }
        before = try filter.cursor.map(TaskPageQuery.parse)
        if let offset = filter.offset {
            guard filter.cursor == nil else { throw .validation(field: "offset", message: "page by cursor or by offset, not both") }
            guard (0...ServiceFilter.offsetMax).contains(offset) else {
                throw .validation(field: "offset", message: "offset must be 0 to \(ServiceFilter.offsetMax); page deeper by cursor")
            }
        }
        offset = filter.offset
    }

    private static func text(_ query: String?) throws(MarketplaceError) -> String? {
        guard let query else { return nil }
        let trimmed = query.trimmingWhitespace
        guard !trimmed.isEmpty else { throw .validation(field: "q", message: "q must not be empty") }
        guard trimmed.count <= ServiceFilter.queryLengthMax else {
            throw .validation(field: "q", message: "q must be at most \(ServiceFilter.queryLengthMax) characters")
        }
        return trimmed
    }

    /// The currency and the bounds in its minor units; min above max is refused naming max_price.
    private static func priceRange(_ filter: ServiceFilter) throws(MarketplaceError) -> (Asset?, Int64?, Int64?) {
        let bounded = filter.minPrice != nil || filter.maxPrice != nil
        guard let code = filter.currency ?? (bounded ? Asset.usd.code : nil) else { return (nil, nil, nil) }
        guard let asset = Asset.named(code), asset != .eth else { throw .validation(field: "currency", message: "currency must be USD or USDC") }
        let min = try filter.minPrice.map { (text) throws(MarketplaceError) -> Int64 in try ServiceDraft.amountMinor(text, asset: asset, field: "min_price") }
        let max = try filter.maxPrice.map { (text) throws(MarketplaceError) -> Int64 in try ServiceDraft.amountMinor(text, asset: asset, field: "max_price") }
        if let min, let max, min > max { throw .validation(field: "max_price", message: "max_price must not be below min_price") }
        return (asset, min, max)
    }

    static func cursor(_ service: MarketService) -> String { TaskPageQuery.cursor(createdAt: service.createdAt, id: service.id) }
}
