import Foundation
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
        let holder = try store.read { stores in try stores.taskTokens.holder(ofTokenHash: Data(Secrets.hash(token))) }
        guard let holder, let mode = holder.mode else { throw .unauthorized("the task token is invalid") }
        return Principal(userID: holder.userID, mode: mode, scopes: scopes, credential: .taskToken(taskID: holder.taskID), role: .agent)
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
                              createdAt: now, updatedAt: now, milestones: spec.milestones.map(Milestone.init(pending:)))
        try await store.write { stores in
            guard try stores.taskTokens.unfundedCount(clientAddress: clientAddress) < AnonymousTask.unfundedPerAddressMax else {
                throw MarketplaceError.tooMany("at most \(AnonymousTask.unfundedPerAddressMax) unfunded anonymous tasks per address; fund or cancel one, or register")
            }
            // The hidden owner: an agent whose password hash matches nothing, so nobody logs in as it.
            try stores.users.insertAnonymousOwner(id: ownerID, email: "\(ownerID)@anonymous.invalid", nowMicros: now)
            try stores.tasks.insert(task)
            try stores.milestones.insert(task.spec.milestones, taskID: task.id)
            try stores.taskTokens.insert(tokenHash: Data(Secrets.hash(token)), taskID: task.id, userID: ownerID, clientAddress: clientAddress, nowMicros: now)
        }
        return AnonymousTask(task: task, token: token)
    }
}
