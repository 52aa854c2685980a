import Foundation
import GRDB
public import LedgerCore

/// A task posted without an account. Its owner is a hidden user that cannot log in, and the
/// `tt_` token returned once manages that one task (read, change, fund, accept, approve,
/// cancel). Unfunded anonymous tasks per client address are capped.
public struct AnonymousTask: Sendable {
    public static let tokenPrefix = "tt_"
    /// Unfunded, still-published anonymous tasks one client address may hold.
    public static let unfundedPerAddressMax = 3

    public let task: MarketTask
    /// Shown once; only its hash is stored.
    public let token: String

    /// What a task token may do: everything about its task, nothing about keys.
    static let scopes: Set<Scope> = [.tasksRead, .tasksWrite, .walletRead, .walletWrite, .messagesRead, .messagesWrite]

    static func principal(forToken token: String, store: MarketplaceStore) throws(MarketplaceError) -> Principal {
        let row = try store.readDB { db in
            try Row.fetchOne(try db.cachedStatement(sql: """
                SELECT tt.task_id, tt.user_id, t.mode FROM task_tokens tt JOIN tasks t ON t.id = tt.task_id WHERE tt.token_hash = ?
                """), arguments: [Data(Secrets.hash(token))])
        }
        guard let row, let mode = Mode(rawValue: row["mode"]) else { throw .unauthorized("the task token is invalid") }
        return Principal(userID: row["user_id"], mode: mode, scopes: scopes, credential: .taskToken(taskID: row["task_id"]), role: .agent)
    }
}

extension TaskService {
    /// Posts a task without an account, from `clientAddress`, in `mode`.
    public func createAnonymous(_ draft: TaskDraft, clientAddress: String, mode: Mode) async throws(MarketplaceError) -> AnonymousTask {
        let now = clock.nowMicros()
        let spec = try draft.validated(nowMicros: now)
        try screen(spec)
        let ownerID = Secrets.id("usr")
        let token = Secrets.make(prefix: AnonymousTask.tokenPrefix)
        let task = MarketTask(id: Secrets.id("tsk"), mode: mode, ownerID: ownerID, status: .published, spec: spec, workerID: nil,
                              createdAt: now, updatedAt: now)
        try await store.writeDB { db in
            let unfunded = try Int.fetchOne(try db.cachedStatement(sql: """
                SELECT COUNT(*) FROM task_tokens tt JOIN tasks t ON t.id = tt.task_id
                WHERE tt.client_address = ? AND t.status = 'published' AND NOT EXISTS (SELECT 1 FROM task_funding f WHERE f.task_id = t.id)
                """), arguments: [clientAddress]) ?? 0
            guard unfunded < AnonymousTask.unfundedPerAddressMax else {
                throw MarketplaceError.tooMany("at most \(AnonymousTask.unfundedPerAddressMax) unfunded anonymous tasks per address; fund or cancel one, or register")
            }
            // The hidden owner: an agent whose password hash matches nothing, so nobody logs in as it.
            try db.run(sql: "INSERT INTO users (id, email, password_hash, full_name, role, created_at) VALUES (?, ?, '!', 'Anonymous', 'agent', ?)",
                           arguments: [ownerID, "\(ownerID)@anonymous.invalid", now])
            try Stores(db).tasks.insert(task)
            try db.run(sql: "INSERT INTO task_tokens (token_hash, task_id, user_id, client_address, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [Data(Secrets.hash(token)), task.id, ownerID, clientAddress, now])
        }
        return AnonymousTask(task: task, token: token)
    }
}
