import MCP
import Marketplace
import MarketplaceViews

/// Seed 003's MCP tools (HumanOps: `post_task`, `check_status`, …) over the same services and
/// funding pipeline as the marketplace's own tools, answering the dialect's task shape
/// (`task_id`, POSTED … VERIFIED, PAID). Served at /compat/humanops/mcp and by
/// `marketplace mcp --tools humanops`.
enum HumanOpsTools {
    static let definitions = [postTask, checkStatus, listTasks, cancelTask]

    static let taskID = Schema.string("The task's id (task_id), as post_task returned it.")

    static let postTask = ToolDefinition(
        name: "post_task", title: "Post a task",
        description: """
            Posts a real-world task for a verified human, with its reward held in escrow in the same step. \
            reward_usd is the operator's reward, a whole number or an exact decimal string ("15.50"); the platform's fee is charged on top. \
            In test mode the test connector funds it, and a mock operator does it: check_status then shows PAID. \
            In live mode the reward and fee come from your USDC wallet. \
            The proof is scored: 90 and above approves and pays, below 50 rejects. Needs tasks:write and wallet:write.
            """,
        input: Schema.object([
            "title": Schema.string("What to do, in a line."),
            "description": Schema.string("What the operator must do and deliver."),
            "task_type": Schema.string("PHOTO, VIDEO, DELIVERY, INSPECTION, VERIFICATION, ERRAND or RESEARCH (any other is accepted as category other)."),
            "location": Schema.object(["lat": Schema.number("Latitude."), "lng": Schema.number("Longitude."), "address": Schema.string("Street address.")],
                                      required: ["lat", "lng"], description: "Where the task is done; leave out for remote work."),
            "reward_usd": ["oneOf": [["type": "integer", "minimum": 0], ["type": "string", "pattern": #"^[0-9]+(\.[0-9]+)?$"#]],
                           "description": "The reward: a whole number of dollars, or an exact decimal string such as \"15.50\"."],
            "deadline": Schema.string("When it must be done, ISO 8601 (2026-02-07T18:00:00Z)."),
            "proof_requirements": Schema.strings("What the proof must show, one line each."),
        ], required: ["title", "description", "task_type", "reward_usd"]),
        idempotent: false
    ) { call in
        let arguments = call.arguments
        let location = arguments.object("location").map { location in
            HumanOpsTaskRequest.Location(lat: location.number("lat") ?? 0, lng: location.number("lng") ?? 0, address: location.string("address"))
        }
        let request = HumanOpsTaskRequest(title: try arguments.requiredString("title"), description: try arguments.requiredString("description"),
                                          taskType: try arguments.requiredString("task_type"), location: location,
                                          reward: try arguments.wholeOrDecimal("reward_usd"), deadline: arguments.string("deadline"),
                                          proofRequirements: arguments.strings("proof_requirements") ?? [])
        let pipeline = FundingPipeline(settlement: call.tools.settlement, work: call.tools.work, tasks: call.tools.tasks)
        let funded = try await pipeline.post(request.draft(mode: call.caller.mode), funding: HumanOpsTaskRequest.funding(mode: call.caller.mode),
                                             by: call.caller)
        return HumanOpsTaskView(funded.task)
    }

    static let checkStatus = ToolDefinition(
        name: "check_status", title: "Check a task's status",
        description: """
            Reads one of your tasks: its status (POSTED, ACCEPTED, PROOF_SUBMITTED, REVISION_REQUESTED, VERIFIED, PAID, \
            CANCELLED, EXPIRED, DISPUTED, RESOLVED) and where its escrow stands. Needs tasks:read.
            """,
        input: Schema.object(["task_id": taskID], required: ["task_id"]),
        readOnly: true
    ) { call in
        HumanOpsTaskView(try call.tools.tasks.task(try call.arguments.requiredString("task_id"), for: call.caller))
    }

    static let listTasks = ToolDefinition(
        name: "list_tasks", title: "List your tasks",
        description: "Your tasks, newest first (limit, default 20). Needs tasks:read.",
        input: Schema.object(["limit": Schema.integer("Tasks to list.", minimum: 1, maximum: TaskFilter.limitMax)]),
        readOnly: true
    ) { call in
        let page = try call.tools.tasks.list(TaskFilter(mine: true, limit: call.arguments.int("limit") ?? 20), for: call.caller)
        return ["tasks": page.tasks.map { HumanOpsTaskView($0) }]
    }

    static let cancelTask = ToolDefinition(
        name: "cancel_task", title: "Cancel a task",
        description: "Cancels a task no operator has accepted yet; its escrow (reward and fee) goes back in full. Needs tasks:write.",
        input: Schema.object(["task_id": taskID], required: ["task_id"]),
        destructive: true
    ) { call in
        let closed = try await call.tools.settlement.cancel(try call.arguments.requiredString("task_id"), by: call.caller)
        return HumanOpsTaskView(closed.task, refunded: closed.refund != nil)
    }
}
