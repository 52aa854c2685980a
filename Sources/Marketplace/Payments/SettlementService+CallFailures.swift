import Connectors
import Foundation
import LedgerCore
import Logging

/// No connector call fails silently: a send or read without a definite answer is recorded on
/// its call (the error, the attempt count), logged once with the call id (again only when the
/// error changes), shown in the task's payments and in reconciliation, and tried again after a
/// wait that doubles. After `callAttemptsMax` attempts in a row the call is failed for support,
/// its intent voided as the kind's recipe says: a checkout's task is unfunded (a later payment
/// of it goes to the payer's wallet), a refund's money is back in escrow and the owner told, a
/// payout's money is back in the worker's wallet.
extension SettlementService {
    /// Attempts in a row before a call is failed for support. With waits doubling from
    /// `callRetryFirstSeconds` to `callRetryLongestSeconds`, the last attempt comes about 7.5
    /// hours after the first failure: well inside the 24 hours Stripe keeps an idempotency
    /// key, so no retry can ever be taken for a new request.
    public static let callAttemptsMax = 12
    public static let callRetryFirstSeconds: Int64 = 30
    public static let callRetryLongestSeconds: Int64 = 3_600

    /// The wait after failed attempt number `attempt` (1 for the first).
    static func retryDelaySeconds(attempt: Int) -> Int64 {
        var wait = callRetryFirstSeconds
        for _ in 1..<max(attempt, 1) where wait < callRetryLongestSeconds { wait *= 2 }
        return min(wait, callRetryLongestSeconds)
    }

    /// Records one failed send or read of `call`. Chain calls are never given up here (a
    /// signed transaction may still be mined; the chain loop owns them), only recorded.
    func noteFailure(of call: ConnectorCall, _ error: any Error, doing what: String) async {
        let now = clock.nowMicros()
        let text = String("\(what): \(Self.describe(error))".prefix(500))
        let mayGiveUp = chain.map { call.connector != $0.chain.name } ?? true
        let noted: (attempts: Int, changed: Bool, gaveUp: Bool)?
        do {
            noted = try await store.transaction { transaction in
                let calls = transaction.stores.connectorCalls
                guard let current = try calls.fetch(id: call.id), current.state == .pending || current.state == .sent else { return nil }
                let attempts = current.attempts + 1
                let changed = current.error != text
                if mayGiveUp, attempts >= Self.callAttemptsMax {
                    try calls.recordAttempts(of: current.id, attempts: attempts, nowMicros: now)
                    try self.giveUp(current, reason: "\(Self.givenUpPrefix) \(attempts) attempts: \(text)", nowMicros: now, transaction)
                    return (attempts, changed, true)
                }
                // A chain call is not made to wait: the chain loop sends it again on its own cadence.
                let next = mayGiveUp ? now &+ Self.retryDelaySeconds(attempt: attempts) &* 1_000_000 : 0
                try calls.recordFailedAttempt(of: current.id, attempts: attempts, error: text, nextAttemptAt: next, nowMicros: now)
                return (attempts, changed, false)
            }
        } catch {
            logger.error("could not record a connector call's failure", metadata: ["call": "\(call.id)", "error": "\(error)", "failure": "\(text)"])
            return
        }
        guard let noted else { return }
        let metadata: Logger.Metadata = ["call": "\(call.id)", "connector": "\(call.connector)", "kind": "\(call.kind.rawValue)", "task": "\(call.taskID)",
                                         "attempt": "\(noted.attempts)", "error": "\(text)"]
        if noted.gaveUp {
            logger.error("connector call failed for support after its last attempt; its intent is voided", metadata: metadata)
        } else if noted.changed {
            logger.warning("connector call failed; it is retried later", metadata: metadata)
        }
    }

    /// After a send or read that answered: a call that had failed before starts its count again.
    func noteAnswered(_ call: ConnectorCall) async {
        guard call.attempts > 0 else { return }
        let now = clock.nowMicros()
        _ = try? await store.write { stores in try stores.connectorCalls.resetAttempts(of: call.id, nowMicros: now) }
    }

    /// The error text that marks a call failed for support.
    static let givenUpPrefix = "failed for support after"

    /// Inside a commit: the call will not be tried again; its intent is voided by its kind's recipe.
    private func giveUp(_ call: ConnectorCall, reason: String, nowMicros now: Int64, _ transaction: LedgerTransaction) throws {
        switch call.kind {
        case .refund: try failRefund(call, reason: reason, nowMicros: now, transaction)
        case .checkout, .payout, .authorization: try void(call, reason: reason, nowMicros: now, transaction)
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? MarketplaceError { return error.description }
        return "\(error)"
    }
}
