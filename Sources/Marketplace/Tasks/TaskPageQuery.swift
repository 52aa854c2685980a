/// One page of tasks as a caller asks for it, its filters checked against their enums: newest
/// first, keyset pagination on (created_at, id).
struct TaskPageQuery: Sendable {
    let mode: Mode
    /// Only this owner's tasks (`mine`).
    let ownerID: String?
    /// Nil: published tasks only, unless `ownerID` is set (then any status).
    let status: TaskStatus?
    let category: String?
    let locationType: LocationType?
    let urgency: Urgency?
    /// Rows strictly before this (created_at, id).
    let before: (createdAt: Int64, id: String)?
    /// Matching tasks to skip (offset pagination), nil with a cursor or neither.
    let offset: Int?
    let limit: Int

    /// The page `viewerID` asks for in `mode`; nil is someone without credentials, who sees the
    /// published listing only.
    init(_ filter: TaskFilter, mode: Mode, viewerID: String?) throws(MarketplaceError) {
        guard !filter.mine || viewerID != nil else {
            throw .unauthorized("mine=true lists your own tasks: send your credentials")
        }
        guard (1...TaskFilter.limitMax).contains(filter.limit) else {
            throw .validation(field: "limit", message: "limit must be 1 to \(TaskFilter.limitMax)")
        }
        limit = filter.limit
        self.mode = mode
        ownerID = filter.mine ? viewerID : nil
        if let status = filter.status {
            let status: TaskStatus = try TaskDraft.choice(status, field: "status")
            guard filter.mine || status == .published else {
                throw .validation(field: "status", message: "only your own tasks (mine=true) can be listed by a status other than published")
            }
            self.status = status
        } else {
            self.status = filter.mine ? nil : .published
        }
        if let category = filter.category {
            guard Category.named(category) != nil else { throw .validation(field: "category", message: "unknown category '\(category)'") }
        }
        category = filter.category
        locationType = try filter.locationType.map { (value) throws(MarketplaceError) -> LocationType in try TaskDraft.choice(value, field: "location_type") }
        urgency = try filter.urgency.map { (value) throws(MarketplaceError) -> Urgency in try TaskDraft.choice(value, field: "urgency") }
        before = try filter.cursor.map(Self.parse)
        if let offset = filter.offset {
            guard filter.cursor == nil else { throw .validation(field: "offset", message: "page by cursor or by offset, not both") }
            guard (0...TaskFilter.offsetMax).contains(offset) else {
                throw .validation(field: "offset", message: "offset must be 0 to \(TaskFilter.offsetMax); page deeper by cursor")
            }
        }
        offset = filter.offset
    }

    static func cursor(createdAt: Int64, id: String) -> String { "\(createdAt)_\(id)" }

    static func parse(_ cursor: String) throws(MarketplaceError) -> (createdAt: Int64, id: String) {
        guard let separator = cursor.firstIndex(of: "_"), let createdAt = Int64(cursor[..<separator]) else {
            throw .validation(field: "cursor", message: "cursor is not one this API returned")
        }
        return (createdAt, String(cursor[cursor.index(after: separator)...]))
    }
}
