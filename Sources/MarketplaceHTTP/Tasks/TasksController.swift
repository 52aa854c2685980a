import Hummingbird
import LedgerCore
import Marketplace
import MarketplaceViews

/// Tasks: create, list, read, change while published, cancel; and the category list.
struct TasksController: Sendable {
    let tasks: TaskService
    let settlement: SettlementService
    let work: WorkService
    /// The server's mode: anonymous tasks are posted in it.
    let mode: Mode

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.post(use: create)
        group.get(use: list)
        group.get(":task", use: get)
        group.patch(":task", use: update)
        group.post(":task/cancel", use: cancel)
        group.post(":task/hide", use: hide)
        group.post(":task/unhide", use: unhide)
        group.post(":task/fund", use: fund)
        group.get(":task/fund", use: checkoutRedirect)
        group.get(":task/payments", use: payments)
    }

    struct BudgetBody: Decodable {
        let amount: ExactAmount
        let currency: String
        let type: String?
        let estimatedHours: Int?
    }

    struct CreateBody: Decodable {
        let title: String
        let description: String
        let category: String
        let taskType: String?
        let locationType: String?
        let address: String?
        let latitude: Double?
        let longitude: Double?
        let budget: BudgetBody
        let deadline: String?
        let deliveryType: String?
        let requiredDeliverables: [String]?
        let proofRequirements: [String]?
        let verifiedOnly: Bool?
        let urgency: String?
        let callbackUrl: String?
        let feePaidBy: String?
        let mockOperator: Bool?
        let autoApprove: Bool?
        let autoReject: Bool?
        /// Funding at posting: the task is created and funded in one commit, or not at all.
        let fund: FundAtPosting?
        /// The budget in parts, summing to it exactly (seed 000 milestones).
        let milestones: [MilestoneBody]?

        struct FundAtPosting: Decodable {
            let source: String
        }

        struct MilestoneBody: Decodable {
            let title: String
            let amount: ExactAmount
            let dueDate: String?
        }

        var draft: TaskDraft {
            TaskDraft(title: title, description: description, category: category, taskType: taskType,
                      locationType: locationType ?? "remote", address: address, latitude: latitude, longitude: longitude,
                      budget: .init(amount: budget.amount.text, currency: budget.currency, type: budget.type ?? "fixed",
                                    estimatedHours: budget.estimatedHours),
                      deadline: deadline, deliveryType: deliveryType ?? DeliveryType.freeform.rawValue, requiredDeliverables: requiredDeliverables ?? [],
                      proofRequirements: proofRequirements ?? [], verifiedOnly: verifiedOnly ?? false, urgency: urgency ?? "normal",
                      callbackURL: callbackUrl, feePaidBy: feePaidBy ?? "agent", mockOperator: mockOperator ?? false,
                      autoApprove: autoApprove ?? false, autoReject: autoReject ?? false,
                      milestones: (milestones ?? []).map { MilestoneDraft(title: $0.title, amount: $0.amount.text, dueDate: $0.dueDate) })
        }
    }

    /// Posts a task; without credentials it is an anonymous post answered with a task token.
    @Sendable func create(_ request: Request, context: APIContext) async throws -> Response {
        let body = try await RequestBody.decode(CreateBody.self, from: request, context: context)
        guard let caller = context.principal else {
            guard body.fund == nil else {
                throw APIError.validation("an anonymous post is funded afterwards, through its fund_url; leave out fund", field: "fund")
            }
            let posted = try await tasks.createAnonymous(body.draft, clientAddress: context.clientAddress, mode: mode)
            return try EditedResponse(status: .created, response: Envelope(AnonymousTaskView(posted))).response(from: request, context: context)
        }
        if let fund = body.fund {
            let method: FundingMethod = switch fund.source {
            case "wallet": .wallet
            case "connector": .testConnector
            case "card": .card(successURL: nil, cancelURL: nil)
            case "usdc": .usdc(payment: nil, resource: "/v1/tasks")
            default: throw APIError.validation("source must be wallet or connector (card and usdc fund after posting)", field: "fund.source")
            }
            let pipeline = FundingPipeline(settlement: settlement, work: work, tasks: tasks)
            return try await KeyedAnswer.respond(FundedTask.self, status: { _ in .created }, render: { Envelope(FundedTaskView($0)) }) {
                try await pipeline.post(body.draft, funding: method, by: caller)
            }
        }
        return try await KeyedAnswer.respond(MarketTask.self, status: { _ in .created }, render: { Envelope(TaskView($0)) }) {
            try await tasks.create(body.draft, by: caller)
        }
    }

    /// Lists tasks; without credentials, the published listing of the server's mode (seed 002's
    /// public `GET /api/tasks`), each task as a stranger sees it.
    @Sendable func list(_ request: Request, context: APIContext) async throws -> Envelope<TaskPageView> {
        let query = request.uri.queryParameters
        let limit = try RequestBody.wholeNumber("limit", in: request, default: 20)
        let filter = TaskFilter(status: query["status"].map(String.init), category: query["category"].map(String.init),
                                locationType: query["location_type"].map(String.init), urgency: query["urgency"].map(String.init),
                                mine: query["mine"] == "true", limit: limit, cursor: query["cursor"].map(String.init),
                                offset: query["offset"] == nil ? nil : try RequestBody.wholeNumber("offset", in: request, default: 0))
        let caller = context.principal
        let page = try caller.map { caller throws(MarketplaceError) in try tasks.list(filter, for: caller) } ?? tasks.publishedList(filter, mode: mode)
        return Envelope(TaskPageView(tasks: page.tasks.map { TaskView($0, shownTo: caller?.userID) }, hasMore: page.hasMore,
                                     nextCursor: page.nextCursor, count: page.count, offset: page.offset))
    }

    /// Reads a task; without credentials, a published one only.
    @Sendable func get(_ request: Request, context: APIContext) async throws -> Envelope<TaskView> {
        let id = try context.parameters.require("task")
        guard let caller = context.principal else { return Envelope(TaskView(try tasks.publishedTask(id, mode: mode), shownTo: nil)) }
        return Envelope(TaskView(try tasks.task(id, for: caller), shownTo: caller.userID))
    }

    struct UpdateBody: Decodable {
        let title: String?
        let description: String?
        let category: String?
        let deadline: String?
        let urgency: String?
        let requiredDeliverables: [String]?
        let proofRequirements: [String]?
        let verifiedOnly: Bool?
        let callbackUrl: String?
    }

    @Sendable func update(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(UpdateBody.self, from: request, context: context)
        let update = TaskUpdate(title: body.title, description: body.description, category: body.category, deadline: body.deadline,
                                urgency: body.urgency, requiredDeliverables: body.requiredDeliverables,
                                proofRequirements: body.proofRequirements, verifiedOnly: body.verifiedOnly, callbackURL: body.callbackUrl)
        return try await KeyedAnswer.respond(MarketTask.self, render: { Envelope(TaskView($0)) }) {
            try await tasks.update(try context.parameters.require("task"), with: update, by: caller)
        }
    }

    /// Cancels; a funded task's escrow goes back to the owner's wallet in full.
    /// Hides the caller's task from listings; `unhide` shows it again.
    @Sendable func hide(_ request: Request, context: APIContext) async throws -> Envelope<TaskView> {
        let caller = try context.requirePrincipal()
        try await RequestBody.refuseFields(request, context: context)
        return Envelope(TaskView(try await tasks.setHidden(true, try context.parameters.require("task"), by: caller)))
    }

    @Sendable func unhide(_ request: Request, context: APIContext) async throws -> Envelope<TaskView> {
        let caller = try context.requirePrincipal()
        try await RequestBody.refuseFields(request, context: context)
        return Envelope(TaskView(try await tasks.setHidden(false, try context.parameters.require("task"), by: caller)))
    }

    @Sendable func cancel(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        try await RequestBody.refuseFields(request, context: context)
        let id = try context.parameters.require("task")
        return try await KeyedAnswer.respond(ClosedTask.self, render: { Envelope(ClosedTaskView($0)) }) { try await settlement.cancel(id, by: caller) }
    }

    struct FundBody: Decodable {
        let source: String?
        let successUrl: String?
        let cancelUrl: String?
    }

    /// Funds the task (budget + fee); again returns the first funding. Above a key's spend
    /// policy: 202 with the approval it awaits. One call for every source: the body and headers are read into a `FundingMethod`, the
    /// funding pipeline decides, and the outcome is encoded. Wallet and test-connector fundings
    /// keep their answer under the client's Idempotency-Key.
    @Sendable func fund(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        let id = try context.parameters.require("task")
        let body = try await RequestBody.decodeIfPresent(FundBody.self, from: request, context: context)
        let payment = try ChainFundingController.payment(of: request)
        let method: FundingMethod
        switch body?.source ?? (payment != nil || ChainFundingController.carriesPayment(request) ? "usdc" : "wallet") {
        case _ where ChainFundingController.carriesPayment(request), "usdc": method = .usdc(payment: payment, resource: "/v1/tasks/\(id)/fund")
        case "wallet": method = .wallet
        case "connector": method = .testConnector
        case "card": method = .card(successURL: body?.successUrl, cancelURL: body?.cancelUrl)
        default: throw APIError.validation("source must be wallet, connector, card or usdc", field: "source")
        }
        let pipeline = FundingPipeline(settlement: settlement, work: work)
        guard method.fundsAtOnce else {
            let outcome = try await pipeline.fund(id, with: method, by: caller)
            if case .checkout(let checkout) = outcome {
                return try EditedResponse(status: checkout.status == .paid ? .ok : .accepted, response: Envelope(CheckoutView(checkout)))
                    .response(from: request, context: context)
            }
            return try ChainFundingController.respond(outcome, payment: payment, request, context: context)
        }
        return try await KeyedAnswer.answer(FundingOutcome.self, status: Self.fundingStatus, render: Self.fundingAnswer) {
            try await pipeline.fund(id, with: method, by: caller)
        }.response
    }

    static func fundingStatus(_ outcome: FundingOutcome) -> HTTPResponse.Status {
        if case .awaitingApproval = outcome { return .accepted }
        return .ok
    }

    /// A wallet or test-connector funding's answer: the funding, or the approval it waits for (202).
    static func fundingAnswer(_ outcome: FundingOutcome) -> any Encodable & Sendable {
        switch outcome {
        case .funded(let funding, _): Envelope(FundingView(funding))
        case .awaitingApproval(let approval): Envelope(FundingApprovalView(approval))
        case .checkout(let checkout): Envelope(CheckoutView(checkout))
        case .paymentRequired: Envelope(["status": "payment_required"])
        case .settling: Envelope(["status": "settling"])
        }
    }

    /// The browser flow: opens (or reuses) the task's card checkout and redirects to its page.
    @Sendable func checkoutRedirect(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        let id = try context.parameters.require("task")
        let outcome = try await FundingPipeline(settlement: settlement, work: work).fund(id, with: .card(successURL: nil, cancelURL: nil), by: caller)
        guard case .checkout(let checkout) = outcome, checkout.status == .open, let url = checkout.checkoutURL else {
            throw APIError(.conflict, code: "CONFLICT", message: "the task is already funded", field: nil)
        }
        return Response(status: .seeOther, headers: [.location: url])
    }
}

extension TasksController {
    struct PaymentView: Encodable, Sendable {
        let taskId: String
        let kind: String
        let state: String
        let amount: MoneyView?
        let reference: String?
        let reversed: MoneyView?
        let error: String?
        let attempts: Int
        let nextAttemptAt: String?
        let createdAt: String
        let updatedAt: String
    }

    /// The task's card checkouts, refunds and payouts, and where each stands.
    @Sendable func payments(_ request: Request, context: APIContext) async throws -> Envelope<[PaymentView]> {
        let caller = try context.requirePrincipal()
        let id = try context.parameters.require("task")
        return Envelope(try settlement.payments(of: id, by: caller).map(PaymentView.init))
    }

    /// The caller's payments across their tasks (all of them for an admin), newest first;
    /// `state` keeps one state, or `failing` for calls being retried after a failure.
    @Sendable func allPayments(_ request: Request, context: APIContext) async throws -> Envelope<[PaymentView]> {
        let caller = try context.requirePrincipal()
        let limit = try RequestBody.wholeNumber("limit", in: request, default: 50)
        let state = request.uri.queryParameters["state"].map(String.init)
        return Envelope(try settlement.payments(for: caller, state: state, limit: limit).map(PaymentView.init))
    }
}

extension TasksController.PaymentView {
    init(_ payment: TaskPayment) {
        let asset = Asset.named(payment.asset)
        self.init(taskId: payment.taskID, kind: payment.kind, state: payment.state, amount: asset.map { MoneyView(minor: payment.amountMinor, asset: $0) },
                  reference: payment.reference, reversed: asset.map { MoneyView(minor: payment.reversedMinor, asset: $0) }, error: payment.error,
                  attempts: payment.attempts, nextAttemptAt: payment.nextAttemptAt.map(Timestamps.format),
                  createdAt: Timestamps.format(payment.createdAt), updatedAt: Timestamps.format(payment.updatedAt))
    }
}
