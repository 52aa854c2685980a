import Hummingbird
import Marketplace
import MarketplaceViews

/// A task's milestones (seed 000): list them, fund one, approve one. Funding the whole task
/// (`POST /v1/tasks/{id}/fund`) funds every milestone not yet funded; a milestone is funded
/// alone here, never through a `milestone_id` in the task's fund body.
struct MilestonesController: Sendable {
    let tasks: TaskService
    let settlement: SettlementService
    let work: WorkService

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.get(":task/milestones", use: list)
        group.post(":task/milestones/:milestone/fund", use: fund)
        group.post(":task/milestones/:milestone/approve", use: approve)
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Envelope<[MilestoneView]> {
        let caller = try context.requirePrincipal()
        let taskID = try context.parameters.require("task")
        let task = try tasks.task(taskID, for: caller)
        return Envelope(task.milestones.map { MilestoneView($0, asset: task.spec.asset) })
    }

    struct FundBody: Decodable {
        let source: String?
    }

    /// Funds one milestone (its amount, plus its fee share when the agent pays the fee on top)
    /// from the wallet, or through the test connector in test mode; again answers it as it is.
    @Sendable func fund(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        let (taskID, milestoneID) = (try context.parameters.require("task"), try context.parameters.require("milestone"))
        let body = try await RequestBody.decodeIfPresent(FundBody.self, from: request, context: context)
        let method: FundingMethod
        switch body?.source ?? "wallet" {
        case "wallet": method = .wallet
        case "connector": method = .testConnector
        default: throw APIError.validation("source must be wallet or connector (a milestone is not paid by card or USDC)", field: "source")
        }
        let pipeline = FundingPipeline(settlement: settlement, work: work)
        return try await KeyedAnswer.respond(MarketTask.self, render: { Self.answer($0, milestoneID) }) {
            try await pipeline.fundMilestone(milestoneID, of: taskID, with: method, by: caller)
        }
    }

    /// Approves one funded milestone: its payout to the worker, its fee share to the platform;
    /// the last one pays the task. Approving it again answers it as it is.
    @Sendable func approve(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        try await RequestBody.refuseFields(request, context: context)
        let (taskID, milestoneID) = (try context.parameters.require("task"), try context.parameters.require("milestone"))
        return try await KeyedAnswer.respond(MarketTask.self, render: { Self.answer($0, milestoneID) }) {
            try await settlement.approveMilestone(milestoneID, of: taskID, by: caller)
        }
    }

    /// The milestone answer; the domain answered a task that has the milestone.
    static func answer(_ task: MarketTask, _ milestoneID: String) -> any Encodable & Sendable {
        guard let view = MilestoneAnswerView(task, milestoneID: milestoneID) else { return Envelope(TaskView(task)) }
        return Envelope(view)
    }
}
