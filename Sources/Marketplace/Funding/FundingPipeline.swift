/// The one way a task is funded, whatever the source: REST, MCP and the CLI parse a
/// `FundingMethod`, call `fund`, and encode the `FundingOutcome`. The preparation every source
/// shares (owner, funded already, fundable status, fee split, spend policy) is
/// `SettlementService.prepareFunding`; a test-mode mock operator starts here once its task is
/// funded, in writes of its own.
public struct FundingPipeline: Sendable {
    let settlement: SettlementService
    let work: WorkService
    let tasks: TaskService?

    /// `tasks` is needed only to post and fund in one step (`post(_:funding:by:)`).
    public init(settlement: SettlementService, work: WorkService, tasks: TaskService? = nil) {
        self.settlement = settlement
        self.work = work
        self.tasks = tasks
    }

    /// A task posted and funded in one commit: the task with its funding, or (a short wallet,
    /// a refusal of any check) nothing written at all. Only a method that funds at once can;
    /// a funding a key's spend policy would set aside for the owner's approval is refused too,
    /// since the task would then exist unfunded.
    public func post(_ draft: TaskDraft, funding method: FundingMethod, by caller: Principal) async throws(MarketplaceError) -> FundedTask {
        guard let tasks else { throw .internalError("the funding pipeline was built without the task service") }
        let source = try Self.postingSource(method)
        try caller.require(.walletWrite)
        let task = try tasks.prepare(draft, by: caller)
        return try await post(task, from: source, by: caller, recording: { _ in }, answer: { $0 })
    }

    /// Where a funding at posting comes from: only a method that funds at once can.
    static func postingSource(_ method: FundingMethod) throws(MarketplaceError) -> FundingSource {
        switch method {
        case .wallet: return .wallet
        case .testConnector: return .connector
        case .card, .usdc:
            throw .validation(field: "fund.source", message: "card and USDC payments settle after the request: post the task, then fund it (POST /v1/tasks/{id}/fund)")
        }
    }

    /// A prepared task written and funded in one commit, with `recording`'s rows (an order's)
    /// beside it; the commit answers `answer(funded)`, so that a keyed request's answer lands
    /// in it. A funding the key's spend policy would set aside is refused and nothing is written.
    func post<Posted: Sendable>(_ task: MarketTask, from source: FundingSource, by caller: Principal,
                                recording: @escaping @Sendable (Stores) throws -> Void,
                                answer: @escaping @Sendable (FundedTask) -> Posted) async throws(MarketplaceError) -> Posted {
        let settlement = settlement
        let posted = try await settlement.store.transaction { transaction -> Posted in
            try TaskService.record(task, transaction.stores)
            try recording(transaction.stores)
            switch try settlement.fund(task.id, from: source, by: caller, nowMicros: task.createdAt, in: transaction) {
            case .funded(let funding, _):
                // Milestones were marked funded in this commit: answer them as they now stand.
                var posted = task.milestones.isEmpty ? task : try transaction.stores.tasks.fetch(task.id) ?? task
                posted.facts.funded = true
                return answer(FundedTask(task: posted, funding: funding))
            case .awaitingApproval:
                throw MarketplaceError.conflict(field: "fund", message: "this funding is above the key's spend policy and would wait for the account owner's approval: post the task, then fund it")
            default: throw MarketplaceError.internalError("a funding at posting answered neither funded nor awaiting approval")
            }
        }
        if task.spec.mockOperator { _ = try await work.runMockOperator(on: task.id) }
        return posted
    }

    public func fund(_ taskID: String, with method: FundingMethod, by caller: Principal) async throws(MarketplaceError) -> FundingOutcome {
        if !method.fundsAtOnce { try settlement.refuseConnectorFunding(of: taskID, by: caller) }
        let outcome: FundingOutcome = switch method {
        case .wallet: try await settlement.fund(taskID, from: .wallet, by: caller)
        case .testConnector: try await settlement.fund(taskID, from: .connector, by: caller)
        case .card(let success, let cancel): .checkout(try await settlement.fundByCard(taskID, successURL: success, cancelURL: cancel, by: caller))
        case .usdc(let payment, let resource): try await settlement.fundByAuthorization(taskID, payment: payment, resource: resource, by: caller)
        }
        if case .funded(let funding, mockOperator: true) = outcome { _ = try await work.runMockOperator(on: funding.taskID) }
        return outcome
    }

    /// Funds one milestone of a task from the wallet or (test mode) the test connector; card and
    /// USDC payments, which settle after the request, do not fund tasks with milestones. A mock
    /// operator starts once its task is funded, as for any funding.
    public func fundMilestone(_ milestoneID: String, of taskID: String, with method: FundingMethod, by caller: Principal) async throws(MarketplaceError) -> MarketTask {
        let source: FundingSource
        switch method {
        case .wallet: source = .wallet
        case .testConnector: source = .connector
        case .card, .usdc:
            throw .validation(field: "source", message: "a milestone is funded from the wallet (or the test connector in test mode)")
        }
        let task = try await settlement.fundMilestone(milestoneID, of: taskID, from: source, by: caller)
        if task.spec.mockOperator { _ = try await work.runMockOperator(on: taskID) }
        return task
    }

    /// The account owner approves a funding a key's spend policy set aside: the task is funded
    /// from the wallet (and a mock operator starts, as for any funding).
    public func approve(_ approvalID: String, by caller: Principal) async throws(MarketplaceError) -> (FundingApproval, TaskFunding) {
        let (approval, funding) = try await settlement.approveFunding(approvalID, by: caller)
        _ = try await work.runMockOperator(on: funding.taskID)
        return (approval, funding)
    }
}
