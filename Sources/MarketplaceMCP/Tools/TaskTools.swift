import MCP
import Marketplace
import MarketplaceViews

/// Tasks: list, read, post, change while published, cancel (TaskService, SettlementService).
enum TaskTools {
    static let definitions = [listTasks, getTask, createTask, updateTask, cancelTask, hideTask]

    static let listTasks = ToolDefinition(
        name: "list_tasks", title: "List tasks",
        description: """
            Lists tasks, newest first, 20 per page by default. Without mine=true it shows every published task \
            in your key's mode; with mine=true it shows your own tasks in any status (filter with status). \
            Pass next_cursor from the previous answer as cursor for the next page. Needs tasks:read; without a key, \
            the published tasks of the server's mode (mine=true needs a key).
            """,
        input: Schema.object([
            "mine": Schema.boolean("true: only your own tasks, any status. false (default): published tasks of everyone."),
            "status": Schema.string("Only tasks in this status (other than published needs mine=true).", oneOf: TaskStatus.allCases.map(\.rawValue)),
            "category": Schema.string("Only this category id (see get_categories)."),
            "location_type": Schema.string("Only remote or local tasks.", oneOf: LocationType.allCases.map(\.rawValue)),
            "urgency": Schema.string("Only this urgency.", oneOf: Urgency.allCases.map(\.rawValue)),
            "limit": Schema.integer("Tasks per page.", minimum: 1, maximum: TaskFilter.limitMax),
            "cursor": Schema.string("next_cursor from the previous page."),
            "offset": Schema.integer("Or page by offset: skip this many tasks (the answer then says count, the total).", minimum: 0, maximum: TaskFilter.offsetMax),
        ]),
        readOnly: true, anonymous: true
    ) { call in
        let arguments = call.arguments
        let filter = TaskFilter(status: arguments.string("status"), category: arguments.string("category"),
                                locationType: arguments.string("location_type"), urgency: arguments.string("urgency"),
                                mine: arguments.bool("mine") ?? false, limit: arguments.int("limit") ?? 20, cursor: arguments.string("cursor"),
                                offset: arguments.int("offset"))
        let caller = call.visitor.principal
        let page = try caller.map { caller throws(MarketplaceError) in try call.tools.tasks.list(filter, for: caller) }
            ?? call.tools.tasks.publishedList(filter, mode: call.visitor.mode)
        return TaskPageView(tasks: page.tasks.map { TaskView($0, shownTo: caller?.userID) }, hasMore: page.hasMore, nextCursor: page.nextCursor,
                            count: page.count, offset: page.offset)
    }

    static let getTask = ToolDefinition(
        name: "get_task", title: "Get a task",
        description: """
            Reads one task: its status (published, assigned, submitted, revision_requested, completed, paid, canceled, expired, disputed, resolved), budget, worker, deliverables, \
            and its milestones with their statuses (pending, funded, released, refunded) when the budget is paid in parts. \
            Your own tasks, tasks you work on and published ones are visible; anything else is NOT_FOUND. Needs tasks:read; \
            without a key, published tasks only. callback_url is shown to the task's owner only.
            """,
        input: Schema.object(["task_id": Schema.taskID], required: ["task_id"]),
        readOnly: true, anonymous: true
    ) { call in
        let id = try call.arguments.requiredString("task_id")
        guard let caller = call.visitor.principal else { return TaskView(try call.tools.tasks.publishedTask(id, mode: call.visitor.mode), shownTo: nil) }
        return TaskView(try call.tools.tasks.task(id, for: caller), shownTo: caller.userID)
    }

    static let createTask = ToolDefinition(
        name: "create_task", title: "Post a task",
        description: """
            Posts a task for humans to do, in your key's mode (test or live). The budget is an exact decimal \
            string in its currency ("25.00" USD, up to 2 decimals; USDC up to 6); the platform fee is added on top \
            unless fee_paid_by is "worker". The task is published but nobody can be accepted until you fund it \
            with fund_task, or pass fund {source: "wallet"} to post and fund in one step (all or nothing). In test mode mock_operator=true has a simulated human apply, get accepted once funded, \
            and submit. Needs tasks:write; only agent and client accounts post. Without a key the task is posted \
            anonymously in the server's mode and the answer carries task_token, shown once: the only credential that \
            manages this task (send it as Authorization: Bearer); fund it through fund_url (fund is refused without a key).
            """,
        input: Schema.object([
            "title": Schema.string("What to do, in a line (at most \(TaskDraft.titleLengthMax) characters)."),
            "description": Schema.string("Everything the human needs to know (at most \(TaskDraft.descriptionLengthMax) characters)."),
            "category": Schema.string("A category id from get_categories, e.g. photography."),
            "budget": Schema.object([
                "amount": Schema.amount("The price as a decimal string, e.g. \"25.00\"; for an hourly task the rate per hour."),
                "currency": Schema.string("USD or USDC.", oneOf: ["USD", "USDC"]),
                "type": Schema.string("fixed (default) or hourly.", oneOf: BudgetType.allCases.map(\.rawValue)),
                "estimated_hours": Schema.integer("Hours an hourly task takes; the total is rate × hours.", minimum: 1, maximum: TaskDraft.estimatedHoursMax),
            ], required: ["amount", "currency"], description: "What the task pays."),
            "task_type": Schema.string("A free label for your own use."),
            "location_type": Schema.string("remote (default) or local (needs address or latitude and longitude).", oneOf: LocationType.allCases.map(\.rawValue)),
            "address": Schema.string("Where a local task happens."),
            "latitude": Schema.number("Latitude of a local task, -90 to 90."),
            "longitude": Schema.number("Longitude of a local task, -180 to 180."),
            "deadline": Schema.string("When the task expires unless taken, RFC 3339 (e.g. 2030-01-31T17:00:00Z); a funded task expiring is refunded."),
            "delivery_type": Schema.string("freeform (default): the accepted worker and you talk, you complete it with or without a submission; submission: the worker must submit before you approve; bounty: funded first, anyone enters once, you pick the winner.",
                                           oneOf: DeliveryType.allCases.map(\.rawValue)),
            "required_deliverables": Schema.strings("Kinds of proof a submission must include.", oneOf: Deliverable.allCases.map(\.rawValue)),
            "proof_requirements": Schema.strings("Plain-language checks a submission must meet (at most \(TaskDraft.proofRequirementsMax))."),
            "verified_only": Schema.boolean("Only verified workers may apply."),
            "urgency": Schema.string("How urgent (default normal).", oneOf: Urgency.allCases.map(\.rawValue)),
            "callback_url": Schema.string("An http(s) URL told about this task's events."),
            "fee_paid_by": Schema.string("agent (default): the fee is added on top of the budget; worker: it comes out of the payout.",
                                         oneOf: FeePayer.allCases.map(\.rawValue)),
            "mock_operator": Schema.boolean("Test mode only: a simulated human does the task."),
            "auto_approve": Schema.boolean("Approve (and pay) a submission whose proof score passes."),
            "auto_reject": Schema.boolean("Reject a submission whose proof score fails."),
            "milestones": MilestoneTools.createInput,
            "fund": Schema.object([
                "source": Schema.string("wallet: from your wallet; connector: through the test connector (test mode).", oneOf: ["wallet", "connector"]),
            ], required: ["source"], description: "Fund at posting: the task is created and funded in one step, or nothing is written (INSUFFICIENT_BALANCE for a short wallet). Needs wallet:write too."),
        ], required: ["title", "description", "category", "budget"]),
        anonymous: true
    ) { call in
        let draft = try draft(call.arguments)
        if case .anonymous(let mode, let address) = call.visitor {
            guard call.arguments.object("fund") == nil else {
                throw MarketplaceError.validation(field: "fund", message: "an anonymous post is funded afterwards, through its fund_url; leave out fund")
            }
            return AnonymousTaskView(try await call.tools.tasks.createAnonymous(draft, clientAddress: address, mode: mode))
        }
        guard let fund = call.arguments.object("fund") else { return TaskView(try await call.tools.tasks.create(draft, by: call.caller)) }
        let method: FundingMethod = switch try fund.requiredString("source") {
        case "wallet": .wallet
        case "connector": .testConnector
        default: throw MarketplaceError.validation(field: "fund.source", message: "source must be wallet or connector")
        }
        let pipeline = FundingPipeline(settlement: call.tools.settlement, work: call.tools.work, tasks: call.tools.tasks)
        return FundedTaskView(try await pipeline.post(draft, funding: method, by: call.caller))
    }

    static func draft(_ arguments: ToolArguments) throws(MarketplaceError) -> TaskDraft {
        guard let budget = arguments.object("budget") else { throw .validation(field: "budget", message: "budget is required") }
        return TaskDraft(
            title: try arguments.requiredString("title"), description: try arguments.requiredString("description"),
            category: try arguments.requiredString("category"), taskType: arguments.string("task_type"),
            locationType: arguments.string("location_type") ?? LocationType.remote.rawValue, address: arguments.string("address"),
            latitude: arguments.number("latitude"), longitude: arguments.number("longitude"),
            budget: .init(amount: try budget.requiredString("amount"), currency: try budget.requiredString("currency"),
                          type: budget.string("type") ?? BudgetType.fixed.rawValue, estimatedHours: budget.int("estimated_hours")),
            deadline: arguments.string("deadline"), deliveryType: arguments.string("delivery_type") ?? DeliveryType.freeform.rawValue,
            requiredDeliverables: arguments.strings("required_deliverables") ?? [], proofRequirements: arguments.strings("proof_requirements") ?? [],
            verifiedOnly: arguments.bool("verified_only") ?? false, urgency: arguments.string("urgency") ?? Urgency.normal.rawValue,
            callbackURL: arguments.string("callback_url"), feePaidBy: arguments.string("fee_paid_by") ?? FeePayer.agent.rawValue,
            mockOperator: arguments.bool("mock_operator") ?? false, autoApprove: arguments.bool("auto_approve") ?? false,
            autoReject: arguments.bool("auto_reject") ?? false, milestones: MilestoneTools.drafts(arguments))
    }

    static let updateTask = ToolDefinition(
        name: "update_task", title: "Change a task",
        description: """
            Changes fields of your own task while it is still published; fields you leave out stay as they are. \
            The budget and currency cannot change (cancel and post again). Needs tasks:write.
            """,
        input: Schema.object([
            "task_id": Schema.taskID,
            "title": Schema.string("New title."),
            "description": Schema.string("New description."),
            "category": Schema.string("New category id."),
            "deadline": Schema.string("New deadline, RFC 3339."),
            "urgency": Schema.string("New urgency.", oneOf: Urgency.allCases.map(\.rawValue)),
            "required_deliverables": Schema.strings("New list of required proof kinds.", oneOf: Deliverable.allCases.map(\.rawValue)),
            "proof_requirements": Schema.strings("New list of plain-language checks."),
            "verified_only": Schema.boolean("Only verified workers may apply."),
            "callback_url": Schema.string("New callback URL."),
        ], required: ["task_id"]),
        idempotent: true
    ) { call in
        let arguments = call.arguments
        let update = TaskUpdate(title: arguments.string("title"), description: arguments.string("description"), category: arguments.string("category"),
                                deadline: arguments.string("deadline"), urgency: arguments.string("urgency"),
                                requiredDeliverables: arguments.strings("required_deliverables"), proofRequirements: arguments.strings("proof_requirements"),
                                verifiedOnly: arguments.bool("verified_only"), callbackURL: arguments.string("callback_url"))
        return TaskView(try await call.tools.tasks.update(try arguments.requiredString("task_id"), with: update, by: call.caller))
    }

    static let cancelTask = ToolDefinition(
        name: "cancel_task", title: "Cancel a task",
        description: """
            Cancels your published or assigned task. A funded task's escrow (budget and fee) goes back in full: \
            to your wallet, or to the card it was paid with. Work already submitted cannot be cancelled; approve, \
            reject or open_dispute instead. Needs tasks:write.
            """,
        input: Schema.object(["task_id": Schema.taskID], required: ["task_id"]),
        destructive: true
    ) { call in
        ClosedTaskView(try await call.tools.settlement.cancel(try call.arguments.requiredString("task_id"), by: call.caller))
    }

    static let hideTask = ToolDefinition(
        name: "hide_task", title: "Hide or show a task",
        description: """
            hidden=true takes your task out of the published listing (any status); it is still read, worked and \
            paid by id, and list_tasks with mine=true still shows it. hidden=false puts it back. Needs tasks:write.
            """,
        input: Schema.object(["task_id": Schema.taskID, "hidden": Schema.boolean("true: hide it; false: show it again.")], required: ["task_id", "hidden"])
    ) { call in
        guard let hidden = call.arguments.bool("hidden") else { throw MarketplaceError.validation(field: "hidden", message: "hidden is required") }
        return TaskView(try await call.tools.tasks.setHidden(hidden, try call.arguments.requiredString("task_id"), by: call.caller))
    }
}
