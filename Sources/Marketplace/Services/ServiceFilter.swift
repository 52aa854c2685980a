/// What a search of services is filtered by (seed 000's search_services): text, category,
/// price range, price type, location type; paged by cursor or by offset as tasks are.
public struct ServiceFilter: Sendable, Hashable {
    /// Words the title or description holds (case-insensitive for ASCII letters).
    public var query: String?
    public var category: String?
    /// The price range's bounds, exact decimals in `currency`; they compare with a fixed
    /// service's price and an hourly service's rate per hour.
    public var minPrice: String?
    public var maxPrice: String?
    /// Only services priced in this currency; USD when a price bound is given without it.
    public var currency: String?
    public var priceType: String?
    public var locationType: String?
    /// Only the caller's own services (published or not); otherwise published ones of everyone.
    public var mine: Bool
    public var limit: Int
    public var cursor: String?
    public var offset: Int?

    public static let limitMax = TaskFilter.limitMax
    public static let offsetMax = TaskFilter.offsetMax
    /// The longest text query.
    public static let queryLengthMax = 200

    public init(query: String? = nil, category: String? = nil, minPrice: String? = nil, maxPrice: String? = nil, currency: String? = nil,
                priceType: String? = nil, locationType: String? = nil, mine: Bool = false, limit: Int = 20, cursor: String? = nil,
                offset: Int? = nil) {
        self.query = query
        self.category = category
        self.minPrice = minPrice
        self.maxPrice = maxPrice
        self.currency = currency
        self.priceType = priceType
        self.locationType = locationType
        self.mine = mine
        self.limit = limit
        self.cursor = cursor
        self.offset = offset
    }
}
