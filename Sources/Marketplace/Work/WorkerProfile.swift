import Foundation
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
        let profile = WorkerProfile(userID: caller.userID, displayName: name, headline: headline, city: city, country: country, skills: skills,
                                    available: draft.available, verified: false, updatedAt: now)
        return try await store.write { stores in
            try stores.workerProfiles.save(profile)
            return try stores.workerProfiles.fetch(caller.userID)!
        }
    }

    /// A worker's profile, for anyone signed in.
    public func profile(of userID: String, for caller: Principal) throws(MarketplaceError) -> WorkerProfile {
        try caller.require(.tasksRead)
        guard let profile = try store.read({ stores in try stores.workerProfiles.fetch(userID) }) else { throw .notFound("no worker profile for \(userID)") }
        return profile
    }

    /// An admin marks a worker verified (or not).
    public func setVerified(_ verified: Bool, userID: String, by caller: Principal) async throws(MarketplaceError) -> WorkerProfile {
        try caller.requireAdmin()
        return try await store.write { stores in
            try stores.workerProfiles.setVerified(verified, userID: userID, nowMicros: clock.nowMicros())
            guard let profile = try stores.workerProfiles.fetch(userID) else { throw MarketplaceError.notFound("no worker profile for \(userID)") }
            return profile
        }
    }
}
