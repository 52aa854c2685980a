/// The services: one row per service, its spec in columns so that searches filter in SQL.
protocol ServiceStore {
    func fetch(_ id: String) throws -> MarketService?
    func insert(_ service: MarketService) throws
    /// Writes a service's status, spec and time.
    func save(_ service: MarketService) throws
    /// One page of the query, newest first; `limit + 1` rows tell that more follow.
    func page(_ query: ServicePageQuery) throws -> [MarketService]
    /// How many services match the query's filters in all (its cursor, offset and limit aside).
    func count(_ query: ServicePageQuery) throws -> Int
    /// The provider's public details: a worker profile's name and verification, else the account's name.
    func provider(_ userID: String) throws -> ServiceProvider
}

/// The orders of services: which service each order's task was placed for.
protocol ServiceOrderStore {
    func fetch(taskID: String) throws -> ServiceOrder?
    /// The order numbered `number`.
    func fetch(number: Int64) throws -> ServiceOrder?
    /// Stores the order with the next number, and answers that number.
    func insert(_ order: ServiceOrder) throws -> Int64
    /// The user's orders, as buyer or as provider, on tasks of `mode`, newest first, at most `limit`.
    func list(user userID: String, mode: Mode, limit: Int) throws -> [ServiceOrder]
}
