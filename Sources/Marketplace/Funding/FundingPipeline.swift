/// The one way a task is funded, whatever the source: REST, MCP and the CLI parse a
/// `FundingMethod`, call `fund`, and encode the `FundingOutcome`. The preparation every source
/// shares (owner, funded already, fundable status, fee split, spend policy) is
/// `SettlementService.prepareFunding`; a test-mode mock operator starts here once its task is
/// funded, in writes of its own.
public struct FundingPipeline: Sendable {
    let settlement: SettlementService
    let work: WorkService

    public init(settlement: SettlementService, work: WorkService) {
        self.settlement = settlement
        self.work = work
    }

    public func fund(_ taskID: String, with method: FundingMethod, by caller: Principal) async throws(MarketplaceError) -> FundingOutcome {
        let outcome: FundingOutcome = switch method {
        case .wallet: try await settlement.fund(taskID, from: .wallet, by: caller)
        case .testConnector: try await settlement.fund(taskID, from: .connector, by: caller)
        case .card(let success, let cancel): .checkout(try await settlement.fundByCard(taskID, successURL: success, cancelURL: cancel, by: caller))
        case .usdc(let payment, let resource): try await settlement.fundByAuthorization(taskID, payment: payment, resource: resource, by: caller)
        }
        if case .funded(let funding, mockOperator: true) = outcome { _ = try await work.runMockOperator(on: funding.taskID) }
        return outcome
    }

    /// The account owner approves a funding a key's spend policy set aside: the task is funded
    /// from the wallet (and a mock operator starts, as for any funding).
    public func approve(_ approvalID: String, by caller: Principal) async throws(MarketplaceError) -> (FundingApproval, TaskFunding) {
        let (approval, funding) = try await settlement.approveFunding(approvalID, by: caller)
        _ = try await work.runMockOperator(on: funding.taskID)
        return (approval, funding)
    }
}
