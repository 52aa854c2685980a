import Hummingbird
import Marketplace
import MarketplaceViews

/// Fundings awaiting approval (above a key's spend policy): the account owner, logged in, lists them and
/// approves (the task is funded as an owner-approved payment) or declines.
struct FundingApprovalsController: Sendable {
    let settlement: SettlementService
    let work: WorkService

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.get(use: list)
        group.post(":approval/approve", use: approve)
        group.post(":approval/decline", use: decline)
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Envelope<[FundingApprovalView]> {
        let caller = try context.requirePrincipal()
        return Envelope(try settlement.fundingApprovals(for: caller).map(FundingApprovalView.init))
    }

    struct Approved: Encodable, Sendable {
        let approval: FundingApprovalView
        let funding: FundingView
    }

    @Sendable func approve(_ request: Request, context: APIContext) async throws -> Envelope<Approved> {
        let caller = try context.requirePrincipal()
        try await RequestBody.refuseFields(request, context: context)
        let pipeline = FundingPipeline(settlement: settlement, work: work)
        let (approval, funding) = try await pipeline.approve(try context.parameters.require("approval"), by: caller)
        return Envelope(Approved(approval: FundingApprovalView(approval), funding: FundingView(funding)))
    }

    @Sendable func decline(_ request: Request, context: APIContext) async throws -> Envelope<FundingApprovalView> {
        let caller = try context.requirePrincipal()
        try await RequestBody.refuseFields(request, context: context)
        return Envelope(FundingApprovalView(try await settlement.declineFunding(try context.parameters.require("approval"), by: caller)))
    }
}
