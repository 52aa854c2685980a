import Foundation
import GRDB

/// The worker profiles in SQLite: the `worker_profiles` table, skills as JSON text.
struct SQLiteWorkerProfileStore: WorkerProfileStore {
    let db: Database

    func fetch(_ userID: String) throws -> WorkerProfile? {
        guard let row = try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM worker_profiles WHERE user_id = ?"), arguments: [userID]) else { return nil }
        let skills = (try? JSONDecoder().decode([String].self, from: Data((row["skills"] as String).utf8))) ?? []
        return WorkerProfile(userID: row["user_id"], displayName: row["display_name"], headline: row["headline"], city: row["city"],
                             country: row["country"], skills: skills, available: row["available"], verified: row["verified"], updatedAt: row["updated_at"])
    }

    func save(_ profile: WorkerProfile) throws {
        let skillsJSON = (try? StoredJSON.string(profile.skills)) ?? "[]"
        try db.run(sql: """
            INSERT INTO worker_profiles (user_id, display_name, headline, city, country, skills, available, verified, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)
            ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name, headline = excluded.headline, city = excluded.city,
                country = excluded.country, skills = excluded.skills, available = excluded.available, updated_at = excluded.updated_at
            """, arguments: [profile.userID, profile.displayName, profile.headline, profile.city, profile.country, skillsJSON, profile.available,
                             profile.updatedAt])
    }

    func setVerified(_ verified: Bool, userID: String, nowMicros: Int64) throws {
        try db.run(sql: "UPDATE worker_profiles SET verified = ?, updated_at = ? WHERE user_id = ?", arguments: [verified, nowMicros, userID])
    }

    func isVerified(_ userID: String) throws -> Bool {
        try Bool.fetchOne(try db.cachedStatement(sql: "SELECT verified FROM worker_profiles WHERE user_id = ?"), arguments: [userID]) == true
    }

    func ensureMockOperator(userID: String, nowMicros: Int64) throws {
        try db.run(sql: """
            INSERT OR IGNORE INTO worker_profiles (user_id, display_name, headline, skills, available, verified, updated_at)
            VALUES (?, 'Mock operator', 'Test mode stand-in', '[]', 1, 1, ?)
            """, arguments: [userID, nowMicros])
    }
}

extension Stores {
    var workerProfiles: some WorkerProfileStore { SQLiteWorkerProfileStore(db: db) }
}
