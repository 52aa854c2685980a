import GRDB

/// The applications in SQLite: the `applications` table.
struct SQLiteApplicationStore: ApplicationStore {
    let db: Database

    func insert(_ application: TaskApplication) throws {
        try db.run(sql: "INSERT INTO applications (id, task_id, applicant_id, message, status, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                   arguments: [application.id, application.taskID, application.applicantID, application.message, application.status.rawValue,
                               application.createdAt])
    }

    func exists(taskID: String, applicantID: String) throws -> Bool {
        try Bool.fetchOne(try db.cachedStatement(sql: "SELECT 1 FROM applications WHERE task_id = ? AND applicant_id = ?"), arguments: [taskID, applicantID]) == true
    }

    func fetch(_ id: String, taskID: String) throws -> TaskApplication? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM applications WHERE id = ? AND task_id = ?"), arguments: [id, taskID]).map(Self.decode)
    }

    func applications(to taskID: String) throws -> [TaskApplication] {
        try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM applications WHERE task_id = ? ORDER BY created_at, id"), arguments: [taskID]).map(Self.decode)
    }

    func applications(by applicantID: String, mode: Mode) throws -> [TaskApplication] {
        try Row.fetchAll(try db.cachedStatement(sql: """
            SELECT a.* FROM applications a JOIN tasks t ON t.id = a.task_id
            WHERE a.applicant_id = ? AND t.mode = ? ORDER BY a.created_at DESC, a.id DESC LIMIT 500
            """), arguments: [applicantID, mode.rawValue]).map(Self.decode)
    }

    func pendingID(taskID: String, applicantID: String) throws -> String? {
        try String.fetchOne(try db.cachedStatement(sql: "SELECT id FROM applications WHERE task_id = ? AND applicant_id = ? AND status = 'pending'"),
                            arguments: [taskID, applicantID])
    }

    func markAccepted(_ id: String) throws {
        try db.run(sql: "UPDATE applications SET status = 'accepted' WHERE id = ?", arguments: [id])
    }

    func markRejected(_ id: String) throws {
        try db.run(sql: "UPDATE applications SET status = 'rejected' WHERE id = ?", arguments: [id])
    }

    static func decode(_ row: Row) -> TaskApplication {
        TaskApplication(id: row["id"], taskID: row["task_id"], applicantID: row["applicant_id"], message: row["message"],
                        status: TaskApplication.Status(rawValue: row["status"]) ?? .pending, createdAt: row["created_at"])
    }
}

extension Stores {
    var applications: some ApplicationStore { SQLiteApplicationStore(db: db) }
}
