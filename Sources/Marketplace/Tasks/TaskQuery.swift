import GRDB

/// The SQL for one page of tasks: filters checked against their enums, newest first,
/// keyset pagination on (created_at, id).
struct TaskQuery {
    let sql: String
    let arguments: StatementArguments
    let limit: Int

    init(_ filter: TaskFilter, caller: Principal) throws(MarketplaceError) {
        guard (1...TaskFilter.limitMax).contains(filter.limit) else {
            throw .validation(field: "limit", message: "limit must be 1 to \(TaskFilter.limitMax)")
        }
        limit = filter.limit
        var conditions = ["mode = ?"]
        var values: [any DatabaseValueConvertible] = [caller.mode.rawValue]
        if filter.mine {
            conditions.append("owner_id = ?")
            values.append(caller.userID)
        }
        if let status = filter.status {
            let status: TaskStatus = try TaskDraft.choice(status, field: "status")
            guard filter.mine || status == .published else {
                throw .validation(field: "status", message: "only your own tasks (mine=true) can be listed by a status other than published")
            }
            conditions.append("status = ?")
            values.append(status.rawValue)
        } else if !filter.mine {
            conditions.append("status = 'published'")
        }
        if let category = filter.category {
            guard Category.named(category) != nil else { throw .validation(field: "category", message: "unknown category '\(category)'") }
            conditions.append("category = ?")
            values.append(category)
        }
        if let location = filter.locationType {
            let location: LocationType = try TaskDraft.choice(location, field: "location_type")
            conditions.append("location_type = ?")
            values.append(location.rawValue)
        }
        if let urgency = filter.urgency {
            let urgency: Urgency = try TaskDraft.choice(urgency, field: "urgency")
            conditions.append("urgency = ?")
            values.append(urgency.rawValue)
        }
        if let cursor = filter.cursor {
            let (createdAt, id) = try Self.parse(cursor)
            conditions.append("(created_at < ? OR (created_at = ? AND id < ?))")
            values += [createdAt, createdAt, id]
        }
        values.append(filter.limit + 1)
        sql = "SELECT * FROM tasks WHERE \(conditions.joined(separator: " AND ")) ORDER BY created_at DESC, id DESC LIMIT ?"
        arguments = StatementArguments(values)
    }

    static func cursor(createdAt: Int64, id: String) -> String { "\(createdAt)_\(id)" }

    static func parse(_ cursor: String) throws(MarketplaceError) -> (Int64, String) {
        guard let separator = cursor.firstIndex(of: "_"), let createdAt = Int64(cursor[..<separator]) else {
            throw .validation(field: "cursor", message: "cursor is not one this API returned")
        }
        return (createdAt, String(cursor[cursor.index(after: separator)...]))
    }
}
