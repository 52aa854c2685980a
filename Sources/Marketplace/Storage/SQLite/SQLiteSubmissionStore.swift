import Foundation
import GRDB

/// The submissions in SQLite: the `submissions` table, deliverables as JSON text and score
/// notes one to a line; "latest" is the newest creation time, then the newest row.
struct SQLiteSubmissionStore: SubmissionStore {
    let db: Database

    func insert(_ submission: Submission) throws {
        try db.run(sql: """
            INSERT INTO submissions (id, task_id, worker_id, deliverables, note, status, created_at, score, score_notes)
            VALUES (?, ?, ?, ?, ?, 'submitted', ?, ?, ?)
            """, arguments: [submission.id, submission.taskID, submission.workerID, try StoredJSON.string(submission.deliverables),
                             submission.note, submission.createdAt, submission.score, submission.scoreNotes.joined(separator: "\n")])
    }

    func exists(taskID: String, workerID: String) throws -> Bool {
        try Bool.fetchOne(try db.cachedStatement(sql: "SELECT 1 FROM submissions WHERE task_id = ? AND worker_id = ?"), arguments: [taskID, workerID]) == true
    }

    func submissions(to taskID: String, workerID: String?) throws -> [Submission] {
        let rows = if let workerID {
            try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM submissions WHERE task_id = ? AND worker_id = ? ORDER BY created_at, rowid"),
                             arguments: [taskID, workerID])
        } else {
            try Row.fetchAll(try db.cachedStatement(sql: "SELECT * FROM submissions WHERE task_id = ? ORDER BY created_at, rowid"), arguments: [taskID])
        }
        return try rows.map(Self.decode)
    }

    func fetch(_ id: String, taskID: String) throws -> Submission? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM submissions WHERE id = ? AND task_id = ?"), arguments: [id, taskID]).map(Self.decode)
    }

    func latest(taskID: String) throws -> Submission? {
        try Row.fetchOne(try db.cachedStatement(sql: "SELECT * FROM submissions WHERE task_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1"),
                         arguments: [taskID]).map(Self.decode)
    }

    func approve(_ id: String, taskID: String) throws {
        try db.run(sql: "UPDATE submissions SET status = 'approved' WHERE id = ?", arguments: [id])
        try db.run(sql: "UPDATE submissions SET status = 'declined' WHERE task_id = ? AND id <> ? AND status = 'submitted'", arguments: [taskID, id])
    }

    func markRejected(_ id: String, feedback: String) throws {
        try db.run(sql: "UPDATE submissions SET status = 'rejected', feedback = ? WHERE id = ?", arguments: [feedback, id])
    }

    func requestRevisionOfLatest(taskID: String, feedback: String) throws {
        try db.run(sql: """
            UPDATE submissions SET status = 'revision_requested', feedback = ?
            WHERE id = (SELECT id FROM submissions WHERE task_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1)
            """, arguments: [feedback, taskID])
    }

    static func decode(_ row: Row) throws -> Submission {
        let deliverables = try JSONDecoder().decode([Submission.Item].self, from: Data((row["deliverables"] as String).utf8))
        return Submission(id: row["id"], taskID: row["task_id"], workerID: row["worker_id"], deliverables: deliverables, note: row["note"],
                          status: Submission.Status(rawValue: row["status"]) ?? .submitted, feedback: row["feedback"], createdAt: row["created_at"],
                          score: row["score"], scoreNotes: (row["score_notes"] as String?).map { $0.split(separator: "\n").map(String.init) } ?? [])
    }
}

extension Stores {
    var submissions: some SubmissionStore { SQLiteSubmissionStore(db: db) }
}
