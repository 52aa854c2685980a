import Foundation
import GRDB
public import LedgerCore

/// A human's public face on the marketplace. `verified` is set by an admin, never by its owner.
public struct WorkerProfile: Sendable, Hashable, Codable {
    public let userID: String
    public var displayName: String
    public var headline: String?
    public var city: String?
    public var country: String?
    public var skills: [String]
    public var available: Bool
    public var verified: Bool
    public var updatedAt: Int64

    public static let skillsMax = 30
    public static let skillLengthMax = 50
    public static let textLengthMax = 200
}

/// What a human sends to set up their profile; checked field by field.
public struct ProfileDraft: Sendable, Hashable {
    public var displayName: String
    public var headline: String?
    public var city: String?
    public var country: String?
    public var skills: [String]
    public var available: Bool

    public init(displayName: String, headline: String? = nil, city: String? = nil, country: String? = nil, skills: [String] = [], available: Bool = true) {
        self.displayName = displayName
        self.headline = headline
        self.city = city
        self.country = country
        self.skills = skills
        self.available = available
    }
}

/// Worker profiles: a human writes their own; anyone signed in reads one; an admin verifies.
public struct ProfileService: Sendable {
    let store: MarketplaceStore
    let clock: LedgerClock

    public init(store: MarketplaceStore, clock: LedgerClock = .system) {
        self.store = store
        self.clock = clock
    }

    /// Creates or replaces the caller's profile; keeps `verified` as it was.
    public func save(_ draft: ProfileDraft, by caller: Principal) async throws(MarketplaceError) -> WorkerProfile {
        try caller.require(.tasksWrite)
        try caller.requireWorker()
        let max = WorkerProfile.textLengthMax
        let name = try TaskDraft.text(draft.displayName, field: "display_name", max: max)
        let headline = try draft.headline.map { (text) throws(MarketplaceError) -> String in try TaskDraft.text(text, field: "headline", max: max) }
        let city = try draft.city.map { (text) throws(MarketplaceError) -> String in try TaskDraft.text(text, field: "city", max: max) }
        let country = try draft.country.map { (text) throws(MarketplaceError) -> String in try TaskDraft.text(text, field: "country", max: max) }
        guard draft.skills.count <= WorkerProfile.skillsMax else {
            throw .validation(field: "skills", message: "at most \(WorkerProfile.skillsMax) skills")
        }
        var skills: [String] = []
        for (index, skill) in draft.skills.enumerated() {
            skills.append(try TaskDraft.text(skill, field: "skills[\(index)]", max: WorkerProfile.skillLengthMax))
        }
        let now = clock.nowMicros()
        let skillsJSON = (try? StoredJSON.string(skills)) ?? "[]"
        return try await store.writeDB { db in
            try db.run(sql: """
                INSERT INTO worker_profiles (user_id, display_name, headline, city, country, skills, available, verified, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)
                ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name, headline = excluded.headline, city = excluded.city,
                    country = excluded.country, skills = excluded.skills, available = excluded.available, updated_at = excluded.updated_at
                """, arguments: [caller.userID, name, headline, city, country, skillsJSON, draft.available, now])
            return try Self.fetch(caller.userID, Stores(db))!
        }
    }

    /// A worker's profile, for anyone signed in.
    public func profile(of userID: String, for caller: Principal) throws(MarketplaceError) -> WorkerProfile {
        try caller.require(.tasksRead)
        guard let profile = try store.readDB({ db in try Self.fetch(userID, Stores(db)) }) else { throw .notFound("no worker profile for \(userID)") }
        return profile
    }

    /// An admin marks a worker verified (or not).
    public func setVerified(_ verified: Bool, userID: String, by caller: Principal) async throws(MarketplaceError) -> WorkerProfile {
        try caller.requireAdmin()
        return try await store.writeDB { db in
            try db.run(sql: "UPDATE worker_profiles SET verified = ?, updated_at = ? WHERE user_id = ?", arguments: [verified, clock.nowMicros(), userID])
            guard let profile = try Self.fetch(userID, Stores(db)) else { throw MarketplaceError.notFound("no worker profile for \(userID)") }
            return profile
        }
    }

    static func fetch(_ userID: String, _ stores: Stores) throws -> WorkerProfile? {
        let db = stores.db
        guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM worker_profiles WHERE user_id = ?"), arguments: [userID]) else { return nil }
        let skills = (try? JSONDecoder().decode([String].self, from: Data((row["skills"] as String).utf8))) ?? []
        return WorkerProfile(userID: row["user_id"], displayName: row["display_name"], headline: row["headline"], city: row["city"],
                             country: row["country"], skills: skills, available: row["available"], verified: row["verified"], updatedAt: row["updated_at"])
    }
}
