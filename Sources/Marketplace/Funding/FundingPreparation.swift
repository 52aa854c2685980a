import LedgerCore

/// What every funding source checks first, written once: the caller owns the task, it is not
/// funded yet, its status takes money, its budget carries the fee, and whether the caller's
/// key's spend policy allows the amount. Run inside the commit (or read) that acts on it.
struct FundingPreparation: Sendable {
    let task: MarketTask
    let split: FeeSplit
    /// The API key funding it, when it is a key (spend policies apply to keys only).
    let keyID: String?
    /// Why the key's spend policy does not allow this funding; nil when it does.
    let policyRefusal: String?

    /// The outcome of preparing: funded already, or ready to fund.
    enum Outcome: Sendable {
        case funded(TaskFunding, MarketTask)
        case ready(FundingPreparation)
    }
}

extension SettlementService {
    /// The checks every funding makes, in one place; another user's task is "not found".
    func prepareFunding(_ taskID: String, by caller: Principal, nowMicros now: Int64, _ stores: Stores) throws -> FundingPreparation.Outcome {
        let task = try TaskService.owned(taskID, by: caller, stores)
        if let funding = try Self.committedFunding(of: taskID, stores) { return .funded(funding, task) }
        guard task.status.isFundable else {
            throw MarketplaceError.conflict(field: "status", message: "the task is \(task.status.rawValue); it cannot be funded")
        }
        let split: FeeSplit
        do { split = try pricing.split(budgetMinor: task.spec.budgetMinor, paidBy: task.spec.feePaidBy) } catch {
            throw MarketplaceError.validation(field: "budget", message: "the budget cannot carry the fee: \(error)")
        }
        let keyID: String? = if case .apiKey(let id) = caller.credential { id } else { nil }
        let refusal = try keyID.flatMap { keyID in
            try Self.policyRefusal(keyID: keyID, escrowMinor: split.escrowMinor, asset: task.spec.asset, nowMicros: now, stores)
        }
        return .ready(FundingPreparation(task: task, split: split, keyID: keyID, policyRefusal: refusal))
    }
}

extension ConnectorCall.Request {
    /// The fee split a funding call recorded when it was asked for.
    func split() throws -> FeeSplit { try FeeSplit(payoutMinor: payoutMinor ?? 0, feeMinor: feeMinor ?? 0) }
}

extension TaskFunding {
    /// The fee split fixed when the task was funded; one that no longer splits is an internal error.
    func recordedSplit() throws(MarketplaceError) -> FeeSplit {
        do { return try FeeSplit(payoutMinor: payoutMinor, feeMinor: feeMinor) } catch {
            throw .internalError("the funding of \(taskID) does not split: \(error)")
        }
    }
}
