import LedgerCore

/// A service as a provider describes it, checked field by field (each refusal names its field)
/// before anything is written. The price is exact: "40.00" or 40, never a Double.
public struct ServiceDraft: Sendable, Hashable {
    public struct Price: Sendable, Hashable {
        public var amount: String
        public var currency: String
        public var type: String

        public init(amount: String, currency: String, type: String = "fixed") {
            self.amount = amount
            self.currency = currency
            self.type = type
        }
    }

    public var title: String
    public var description: String
    public var category: String
    public var price: Price
    public var deliveryDays: Int
    public var locationType: String
    public var location: String?

    public static let titleLengthMax = TaskDraft.titleLengthMax
    public static let descriptionLengthMax = TaskDraft.descriptionLengthMax
    public static let locationLengthMax = TaskDraft.addressLengthMax
    /// The longest delivery time a service may promise, in days.
    public static let deliveryDaysMax = 365

    public init(title: String, description: String, category: String, price: Price, deliveryDays: Int, locationType: String = "remote",
                location: String? = nil) {
        self.title = title
        self.description = description
        self.category = category
        self.price = price
        self.deliveryDays = deliveryDays
        self.locationType = locationType
        self.location = location
    }

    /// The draft that validates to `spec` (for updates).
    init(_ spec: ServiceSpec) {
        self.init(title: spec.title, description: spec.description, category: spec.category,
                  price: Price(amount: MinorUnits.format(spec.priceMinor, scale: spec.asset.scale), currency: spec.asset.code, type: spec.priceType.rawValue),
                  deliveryDays: spec.deliveryDays, locationType: spec.locationType.rawValue, location: spec.location)
    }

    /// Checks every field in order and returns the stored form.
    public func validated() throws(MarketplaceError) -> ServiceSpec {
        let title = try TaskDraft.text(title, field: "title", max: Self.titleLengthMax)
        let description = try TaskDraft.text(description, field: "description", max: Self.descriptionLengthMax)
        guard Category.named(category) != nil else {
            throw .validation(field: "category", message: "unknown category '\(category)'; see GET /v1/categories")
        }
        let (asset, priceMinor) = try Self.money(price.amount, currency: price.currency, field: "price")
        let priceType: BudgetType = try TaskDraft.choice(price.type, field: "price.type")
        guard (1...Self.deliveryDaysMax).contains(deliveryDays) else {
            throw .validation(field: "delivery_days", message: "delivery_days must be 1 to \(Self.deliveryDaysMax)")
        }
        let locationType: LocationType = try TaskDraft.choice(locationType, field: "location_type")
        let location = try validatedLocation(locationType)
        return ServiceSpec(title: title, description: description, category: category, priceType: priceType, asset: asset,
                           priceMinor: priceMinor, deliveryDays: deliveryDays, locationType: locationType, location: location)
    }

    private func validatedLocation(_ type: LocationType) throws(MarketplaceError) -> String? {
        guard type == .local else {
            guard location == nil else { throw .validation(field: "location", message: "a remote service has no location; leave it out") }
            return nil
        }
        guard let location else { throw .validation(field: "location", message: "a local service needs a location (city, state or address)") }
        return try TaskDraft.text(location, field: "location", max: Self.locationLengthMax)
    }

    /// An exact amount of USD or USDC, more than zero and at most a task's budget cap: the
    /// price a service charges, or a bound of a price range. Refusals name `field`.amount or
    /// `field`.currency.
    static func money(_ amount: String, currency: String, field: String) throws(MarketplaceError) -> (Asset, Int64) {
        guard let asset = Asset.named(currency), asset != .eth else {
            throw .validation(field: "\(field).currency", message: "currency must be USD or USDC")
        }
        let minor = try amountMinor(amount, asset: asset, field: "\(field).amount")
        return (asset, minor)
    }

    /// `amount` in `asset`'s minor units: exact, more than zero, at most the budget cap.
    static func amountMinor(_ amount: String, asset: Asset, field: String) throws(MarketplaceError) -> Int64 {
        let minor: Int64
        do { minor = try MinorUnits.parse(amount, scale: asset.scale) } catch {
            throw .validation(field: field, message: "\(field): \(error.description)")
        }
        guard minor > 0 else { throw .validation(field: field, message: "\(field) must be greater than zero") }
        guard minor <= TaskDraft.budgetUnitsMax * MinorUnits.factor(scale: asset.scale) else {
            throw .validation(field: field, message: "\(field) must be at most \(TaskDraft.budgetUnitsMax) \(asset.code)")
        }
        return minor
    }
}

/// The fields a provider may change. Nil leaves a field as it is.
public struct ServiceUpdate: Sendable, Hashable {
    public var title: String?
    public var description: String?
    public var category: String?
    public var price: ServiceDraft.Price?
    public var deliveryDays: Int?
    public var locationType: String?
    public var location: String?

    public init(title: String? = nil, description: String? = nil, category: String? = nil, price: ServiceDraft.Price? = nil,
                deliveryDays: Int? = nil, locationType: String? = nil, location: String? = nil) {
        self.title = title
        self.description = description
        self.category = category
        self.price = price
        self.deliveryDays = deliveryDays
        self.locationType = locationType
        self.location = location
    }

    /// `spec` with this update's fields, validated whole, so that an update never stores what
    /// a publish would refuse. Turning a service remote drops its location.
    func applied(to spec: ServiceSpec) throws(MarketplaceError) -> ServiceSpec {
        var draft = ServiceDraft(spec)
        if let title { draft.title = title }
        if let description { draft.description = description }
        if let category { draft.category = category }
        if let price { draft.price = price }
        if let deliveryDays { draft.deliveryDays = deliveryDays }
        if let locationType {
            draft.locationType = locationType
            if locationType == LocationType.remote.rawValue, location == nil { draft.location = nil }
        }
        if let location { draft.location = location }
        return try draft.validated()
    }
}
