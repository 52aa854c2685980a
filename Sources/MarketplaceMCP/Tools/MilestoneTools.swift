import MCP
import Marketplace
import MarketplaceViews

/// A task's milestones (seed 000): list, fund one, approve one, as
/// /v1/tasks/{id}/milestones does (SettlementService, FundingPipeline).
enum MilestoneTools {
    static let definitions = [listMilestones, fundMilestone, approveMilestone]

    static let milestoneID = Schema.string("The milestone's id (m1, m2, …: its place in the task's list), as get_task or list_milestones shows it.")

    /// create_task's `milestones`: the budget in parts, summing to it exactly.
    static let createInput: Value = [
        "type": "array", "maxItems": .int(MilestoneDraft.countMax),
        "description": .string("""
            The budget in parts (not for a bounty), in order; the amounts must sum to the budget exactly (VALIDATION_ERROR on \
            milestones otherwise). Each milestone is funded (with fund_task, all at once, or fund_milestone) and approved \
            (approve_milestone) on its own. Its fee share is round_half_up(fee × running total / budget) minus the same before \
            it, in list order, so the last takes the remainder and the shares sum to the task's fee exactly.
            """),
        "items": Schema.object([
            "title": Schema.string("What this part delivers (at most \(TaskDraft.titleLengthMax) characters)."),
            "amount": Schema.amount("Its amount in the budget's currency as a decimal string, e.g. \"40.00\"."),
            "due_date": Schema.string("When it is due, RFC 3339 (e.g. 2030-01-31T17:00:00Z); in the future."),
        ], required: ["title", "amount"]),
    ]

    static let listMilestones = ToolDefinition(
        name: "list_milestones", title: "List a task's milestones",
        description: """
            The task's milestones in order, each with its status: pending (not funded), funded (its part in escrow), \
            released (approved: paid to the worker with its fee share), refunded (back with you after a cancel); and, once \
            funded, its escrow, payout and fee. get_task shows the same under milestones. Needs tasks:read.
            """,
        input: Schema.object(["task_id": Schema.taskID], required: ["task_id"]),
        readOnly: true
    ) { call in
        let task = try call.tools.tasks.task(try call.arguments.requiredString("task_id"), for: call.caller)
        return Milestones(taskId: task.id, taskStatus: task.status.rawValue, milestones: task.milestones.map { MilestoneView($0, asset: task.spec.asset) })
    }

    /// list_milestones' answer: an object, as every tool's structured content is.
    struct Milestones: Encodable, Sendable {
        let taskId: String
        let taskStatus: String
        let milestones: [MilestoneView]
    }

    static let fundMilestone = ToolDefinition(
        name: "fund_milestone", title: "Fund one milestone",
        description: """
            Puts one milestone's part into the task's escrow: its amount, plus its fee share when you pay the fee on top. \
            source wallet (default): from your wallet, INSUFFICIENT_BALANCE if short; connector: the test connector (test \
            mode). A funded milestone is answered as it is. Once one milestone is funded you can accept a worker. fund_task \
            funds every milestone not yet funded at once. Needs wallet:write.
            """,
        input: Schema.object([
            "task_id": Schema.taskID, "milestone_id": milestoneID,
            "source": Schema.string("wallet (default) or connector (test mode).", oneOf: ["wallet", "connector"]),
        ], required: ["task_id", "milestone_id"]),
        idempotent: true
    ) { call in
        let arguments = call.arguments
        let (taskID, milestoneID) = (try arguments.requiredString("task_id"), try arguments.requiredString("milestone_id"))
        let method: FundingMethod = arguments.string("source") == "connector" ? .testConnector : .wallet
        return try answer(try await call.tools.funding.fundMilestone(milestoneID, of: taskID, with: method, by: call.caller), milestoneID)
    }

    static let approveMilestone = ToolDefinition(
        name: "approve_milestone", title: "Approve one milestone",
        description: """
            Approves one funded milestone of your task while a worker is assigned: its payout goes to the worker's wallet and \
            its fee share to the platform, out of escrow; the rest stays in escrow. When it is the last, the task becomes \
            paid. An unfunded milestone is PAYMENT_REQUIRED (fund_milestone first); approving a released one again moves \
            nothing and answers it as it is. cancel_task later refunds only the funded milestones not released. Needs tasks:write.
            """,
        input: Schema.object(["task_id": Schema.taskID, "milestone_id": milestoneID], required: ["task_id", "milestone_id"]),
        idempotent: true
    ) { call in
        let (taskID, milestoneID) = (try call.arguments.requiredString("task_id"), try call.arguments.requiredString("milestone_id"))
        return try answer(try await call.tools.settlement.approveMilestone(milestoneID, of: taskID, by: call.caller), milestoneID)
    }

    /// The milestone answer; the services answered a task that has the milestone.
    private static func answer(_ task: MarketTask, _ milestoneID: String) throws(MarketplaceError) -> MilestoneAnswerView {
        guard let view = MilestoneAnswerView(task, milestoneID: milestoneID) else { throw .notFound("no milestone \(milestoneID) on task \(task.id)") }
        return view
    }

    /// create_task's milestones as drafts.
    static func drafts(_ arguments: ToolArguments) -> [MilestoneDraft] {
        (arguments.objects("milestones") ?? []).map { item in
            MilestoneDraft(title: item.string("title") ?? "", amount: item.string("amount") ?? "", dueDate: item.string("due_date"))
        }
    }
}
