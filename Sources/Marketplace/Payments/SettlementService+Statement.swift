public import Connectors
import Foundation
public import LedgerCore

/// What the processor says moved, and its fees booked once each as the platform's expense.
public struct ConnectorStatement: Sendable {
    public let connector: String
    public let lines: [StatementLine]
    /// Fees booked by this call (lines seen before are not booked again).
    public let feesBookedMinor: Int64
    public let linesBooked: Int
}

extension SettlementService {
    /// Reads the card connector's statement for [from, to) (Unix seconds) and books every fee in
    /// it as a processor-fee expense (expense -> clearing), keyed by the line's id so a line is
    /// booked once however often the statement is read. Admin or finance only.
    public func syncStatement(from: Int64, to: Int64, by caller: Principal) async throws(MarketplaceError) -> ConnectorStatement {
        guard caller.isAdmin || caller.scopes.contains(.financeRead) else { throw .forbidden("the connector statement is for finance and admins") }
        guard let card else { throw .validation(field: "connector", message: "no card connector is configured") }
        guard from < to else { throw .validation(field: "from", message: "from must be before to") }
        let lines: [StatementLine]
        do { lines = try await card.connector.statement(from: from, to: to) } catch {
            throw error.isIndefinite ? .connectorUnavailable("\(error)") : Self.refusal(error)
        }
        let connector = card.connector.name
        let booked = try await bookFees(of: lines, connector: connector, mode: card.mode.ledger)
        return ConnectorStatement(connector: connector, lines: lines, feesBookedMinor: booked.0, linesBooked: booked.1)
    }
}

extension SettlementService {
    /// Books every fee in `lines` as a processor-fee expense (expense -> clearing), keyed by the
    /// line's id so a line is booked once however often the statement is read; returns the
    /// total and the number of lines booked by this call.
    func bookFees(of lines: [StatementLine], connector: String, mode: LedgerMode) async throws(MarketplaceError) -> (Int64, Int) {
        let now = clock.nowMicros()
        return try await store.transaction { transaction -> (Int64, Int) in
            var total: Int64 = 0
            var count = 0
            for line in lines {
                // A fee on a charge, or a line that is itself a Stripe fee (its amount is negative).
                let fee = line.kind == .processorFee ? -line.amountMinor : line.feeMinor
                guard fee > 0, let asset = Asset.named(line.currency.uppercased()),
                      let expense = self.chart.processorFeeExpense(connector: connector, mode: mode, asset: asset),
                      let clearing = self.chart.clearing(connector: connector, mode: mode, asset: asset) else { continue }
                let key = "processor-fee:\(connector):\(line.id)"
                if try Operation.find(key: key, in: transaction.stores) != nil { continue }
                let expenseID = try transaction.account(expense)
                let clearingID = try transaction.account(clearing)
                _ = try Operation.commit(key: key, in: transaction, nowMicros: now) { first in
                    PostingRecipes.processorFee(id: first, expense: expenseID, clearing: clearingID, amountMinor: fee, asset: asset,
                                                metadata: #"{"line":"\#(line.id)","source":"\#(line.source ?? "")"}"#)
                }
                let (sum, overflow) = total.addingReportingOverflow(fee)
                guard !overflow else { throw MarketplaceError.internalError("fees overflow") }
                total = sum
                count += 1
            }
            return (total, count)
        }
    }
}

/// One connector call of a task as its owner sees it: a card checkout, a refund, a payout.
public struct TaskPayment: Sendable, Hashable {
    public let taskID: String
    public let kind: String
    /// pending (recorded, not answered yet), sent (waiting for the connector's outcome),
    /// settled, or failed (its intent voided: for a refund, the money is back in escrow).
    public let state: String
    public let amountMinor: Int64
    public let asset: String
    public let reference: String?
    public let reversedMinor: Int64
    /// The last failure's text: a call being retried, or why it failed.
    public let error: String?
    /// Sends or reads in a row that failed; after `SettlementService.callAttemptsMax` the call
    /// is failed for support.
    public let attempts: Int
    /// When the sweeper tries a failing call again (nil when it is not waiting).
    public let nextAttemptAt: Int64?
    public let createdAt: Int64
    public let updatedAt: Int64
}

extension SettlementService {
    /// The task's connector calls, oldest first (owner only); a failed refund is the task's flag.
    public func payments(of taskID: String, by caller: Principal) throws(MarketplaceError) -> [TaskPayment] {
        try caller.require(.tasksRead)
        return try store.read { stores in
            _ = try TaskService.owned(taskID, by: caller, stores)
            return try stores.connectorCalls.forTask(taskID, kind: nil).map(TaskPayment.init)
        }
    }

    /// Which payments a list keeps: one state, or `failing` (open calls whose last attempt failed).
    public static let paymentStates: Set<String> = ["pending", "sent", "settled", "failed", "failing"]
    public static let paymentsPageMax = 200

    /// The caller's payments across their tasks (every deployment's for an admin, for support),
    /// newest first: where each call stands, its last error and its attempts.
    public func payments(for caller: Principal, state: String?, limit: Int) throws(MarketplaceError) -> [TaskPayment] {
        try caller.require(.tasksRead)
        if let state, !Self.paymentStates.contains(state) {
            throw .validation(field: "state", message: "state must be one of \(Self.paymentStates.sorted().joined(separator: ", "))")
        }
        guard (1...Self.paymentsPageMax).contains(limit) else {
            throw .validation(field: "limit", message: "limit must be 1 to \(Self.paymentsPageMax)")
        }
        let owner: (userID: String, mode: Mode)? = caller.isAdmin ? nil : (caller.userID, caller.mode)
        let failingOnly = state == "failing"
        let listed = failingOnly ? nil : state.flatMap(ConnectorCall.State.init(rawValue:))
        return try store.read { stores in
            try stores.connectorCalls.latest(owner: owner, state: listed, failingOnly: failingOnly, limit: limit).map(TaskPayment.init)
        }
    }
}

extension TaskPayment {
    init(_ call: ConnectorCall) {
        self.init(taskID: call.taskID, kind: call.kind.rawValue, state: call.state.rawValue, amountMinor: call.request.amountMinor, asset: call.request.asset,
                  reference: call.reference, reversedMinor: call.reversedMinor, error: call.error, attempts: call.attempts,
                  nextAttemptAt: call.attempts > 0 && (call.state == .pending || call.state == .sent) ? call.nextAttemptAt : nil,
                  createdAt: call.createdAt, updatedAt: call.updatedAt)
    }
}
