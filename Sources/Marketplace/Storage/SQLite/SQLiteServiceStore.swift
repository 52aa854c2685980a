import Foundation
import GRDB
import LedgerCore

/// The services in SQLite: the `services` table.
struct SQLiteServiceStore: ServiceStore {
    let db: Database

    func fetch(_ id: String) throws -> MarketService? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM services WHERE id = ?"), arguments: [id]).map { try Self.decode($0) }
    }

    func insert(_ service: MarketService) throws {
        let spec = service.spec
        try db.run(sql: """
            INSERT INTO services (id, mode, provider_id, status, title, description, category, price_type, asset, price_minor, delivery_days,
                                  location_type, location, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [service.id, service.mode.rawValue, service.providerID, service.status.rawValue, spec.title, spec.description,
                             spec.category, spec.priceType.rawValue, spec.asset.code, spec.priceMinor, spec.deliveryDays,
                             spec.locationType.rawValue, spec.location, service.createdAt, service.updatedAt])
    }

    func save(_ service: MarketService) throws {
        let spec = service.spec
        try db.run(sql: """
            UPDATE services SET status = ?, title = ?, description = ?, category = ?, price_type = ?, asset = ?, price_minor = ?,
                delivery_days = ?, location_type = ?, location = ?, updated_at = ?
            WHERE id = ?
            """, arguments: [service.status.rawValue, spec.title, spec.description, spec.category, spec.priceType.rawValue, spec.asset.code,
                             spec.priceMinor, spec.deliveryDays, spec.locationType.rawValue, spec.location, service.updatedAt, service.id])
    }

    func page(_ query: ServicePageQuery) throws -> [MarketService] {
        var (conditions, values) = Self.filters(query)
        if let before = query.before {
            conditions.append("(created_at < ? OR (created_at = ? AND id < ?))")
            values += [before.createdAt, before.createdAt, before.id]
        }
        values.append(query.limit + 1)
        values.append(query.offset ?? 0)
        let sql = "SELECT * FROM services WHERE \(conditions.joined(separator: " AND ")) ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
        return try Row.fetchAll(try db.cachedStatement(sql: sql), arguments: StatementArguments(values)).map { try Self.decode($0) }
    }

    func count(_ query: ServicePageQuery) throws -> Int {
        let (conditions, values) = Self.filters(query)
        let sql = "SELECT COUNT(*) FROM services WHERE \(conditions.joined(separator: " AND "))"
        return try Int.fetchOne(try db.cachedStatement(sql: sql), arguments: StatementArguments(values)) ?? 0
    }

    func provider(_ userID: String) throws -> ServiceProvider {
        let row = try Row.fetchOne(try db.cachedStatement(sql: """
            SELECT u.full_name, p.display_name, p.verified FROM users u LEFT JOIN worker_profiles p ON p.user_id = u.id WHERE u.id = ?
            """), arguments: [userID])
        let name: String? = row?["display_name"] ?? row?["full_name"]
        return ServiceProvider(id: userID, displayName: name ?? "", verified: row?["verified"] ?? false)
    }

    /// The WHERE conditions of the query's filters, and their arguments.
    private static func filters(_ query: ServicePageQuery) -> (conditions: [String], values: [any DatabaseValueConvertible]) {
        var conditions = ["mode = ?"]
        var values: [any DatabaseValueConvertible] = [query.mode.rawValue]
        if let provider = query.providerID {
            conditions.append("provider_id = ?")
            values.append(provider)
        } else {
            conditions.append("status = 'published'")
        }
        if let text = query.text {
            // LIKE with its wildcards escaped: the words are matched as written, ASCII case aside.
            let pattern = "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            conditions.append(#"(title LIKE ? ESCAPE '\' OR description LIKE ? ESCAPE '\')"#)
            values += [pattern, pattern]
        }
        let equal: [(String, String?)] = [("category", query.category), ("asset", query.asset?.code), ("price_type", query.priceType?.rawValue),
                                          ("location_type", query.locationType?.rawValue)]
        for case let (column, value?) in equal {
            conditions.append("\(column) = ?")
            values.append(value)
        }
        if let min = query.minPriceMinor {
            conditions.append("price_minor >= ?")
            values.append(min)
        }
        if let max = query.maxPriceMinor {
            conditions.append("price_minor <= ?")
            values.append(max)
        }
        return (conditions, values)
    }

    static func decode(_ row: Row) throws(MarketplaceError) -> MarketService {
        guard let mode = Mode(rawValue: row["mode"]), let status = ServiceStatus(rawValue: row["status"]),
              let priceType = BudgetType(rawValue: row["price_type"]), let asset = Asset.named(row["asset"]),
              let locationType = LocationType(rawValue: row["location_type"]) else {
            throw .internalError("service \(row["id"] as String? ?? "?") is unreadable")
        }
        let spec = ServiceSpec(title: row["title"], description: row["description"], category: row["category"], priceType: priceType,
                               asset: asset, priceMinor: row["price_minor"], deliveryDays: row["delivery_days"], locationType: locationType,
                               location: row["location"])
        return MarketService(id: row["id"], mode: mode, providerID: row["provider_id"], status: status, spec: spec,
                             createdAt: row["created_at"], updatedAt: row["updated_at"])
    }
}

/// The orders of services in SQLite: the `service_orders` table.
struct SQLiteServiceOrderStore: ServiceOrderStore {
    let db: Database

    func fetch(taskID: String) throws -> ServiceOrder? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM service_orders WHERE task_id = ?"), arguments: [taskID]).map(Self.decode)
    }

    func fetch(number: Int64) throws -> ServiceOrder? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM service_orders WHERE number = ?"), arguments: [number]).map(Self.decode)
    }

    /// The next number is taken inside the writer's commit, which is the only one at a time.
    func insert(_ order: ServiceOrder) throws -> Int64 {
        try Int64.fetchOne(db, sql: """
            INSERT INTO service_orders (task_id, service_id, buyer_id, provider_id, hours, created_at, number)
            VALUES (?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(number), 0) + 1 FROM service_orders)) RETURNING number
            """, arguments: [order.taskID, order.serviceID, order.buyerID, order.providerID, order.hours, order.createdAt]) ?? 0
    }

    func list(user userID: String, mode: Mode, limit: Int) throws -> [ServiceOrder] {
        try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT o.* FROM service_orders o JOIN tasks t ON t.id = o.task_id
            WHERE (o.buyer_id = ? OR o.provider_id = ?) AND t.mode = ?
            ORDER BY o.created_at DESC, o.task_id DESC LIMIT ?
            """), arguments: [userID, userID, mode.rawValue, limit]).map(Self.decode)
    }

    static func decode(_ row: Row) -> ServiceOrder {
        ServiceOrder(taskID: row["task_id"], serviceID: row["service_id"], buyerID: row["buyer_id"], providerID: row["provider_id"],
                     hours: row["hours"], createdAt: row["created_at"], number: row["number"] ?? 0)
    }
}

extension Stores {
    var services: some ServiceStore { SQLiteServiceStore(db: db) }
    var serviceOrders: some ServiceOrderStore { SQLiteServiceOrderStore(db: db) }
}
