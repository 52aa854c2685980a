import Foundation
public import Hummingbird
import HTTPTypes
import LedgerCore
public import Marketplace
public import MarketplaceHTTP
import MarketplaceViews

/// Seed 002's REST API (RequestHuman) under /compat/requesthuman: anonymous posts at
/// `/api/tasks` answered with `task_token`, `task_url`, `fund_url` and `important`; the token in
/// `X-Task-Token` or the body's `task_token` manages the task (fund by Stripe Checkout with the
/// 10% fee on top, cancel with the refund, applications, messages, submissions); every answer
/// carries `success`, every refusal is `{"success": false, "error": "…"}`. A translator only:
/// every request goes to the same services, funding pipeline and ledger recipes as /v1.
public struct RequestHumanMount: RouteMount {
    static let prefix = "compat/requesthuman"
    /// The marketplace's MCP tools (the document's 12 names are theirs), mounted by `serverMounts`.
    static let mcpPath = "compat/requesthuman/mcp"
    static let tokenHeader = HTTPField.Name("X-Task-Token")!
    let services: Services
    let mode: Mode

    public init(services: Services, mode: String) {
        self.services = services
        self.mode = Mode(rawValue: mode) ?? .test
    }

    /// The document's refusal shape for every error under its API, the server-wide
    /// middlewares' too (a bad task token, a rate limit, an Idempotency-Key on the create).
    public var refusalShape: RefusalShape? { RefusalShape(prefix: "/\(Self.prefix)/api/", render: RequestHumanErrors.response(for:)) }

    public func addRoutes(to router: Router<APIContext>) {
        let api = router.group(RouterPath(Self.prefix)).add(middleware: RequestHumanErrors())
        api.get("openapi.json") { _, _ in try self.documentResponse() }
        api.post("api/tasks", use: create)
        api.get("api/tasks", use: list)
        api.get("api/tasks/{task}", use: get)
        api.patch("api/tasks/{task}", use: update)
        api.post("api/tasks/{task}/fund", use: fund)
        api.get("api/tasks/{task}/fund", use: fundRedirect)
        api.post("api/tasks/{task}/cancel", use: cancel)
        api.get("api/tasks/{task}/applications", use: applications)
        api.patch("api/tasks/{task}/applications/{application}", use: respondToApplication)
        api.get("api/tasks/{task}/applications/{application}/messages", use: messages)
        api.post("api/tasks/{task}/applications/{application}/messages", use: sendMessage)
        api.get("api/tasks/{task}/submissions", use: submissions)
        api.patch("api/tasks/{task}/submissions", use: respondToSubmission)
    }

    // MARK: - The task token

    /// The caller: the task token of `X-Task-Token` or the body's `task_token`, else the
    /// `Authorization` caller (a human's session, for messages). Neither is 403.
    func caller(_ request: Request, _ context: APIContext, bodyToken: String? = nil) async throws -> Principal {
        if let header = request.headers[Self.tokenHeader] {
            // AuthMiddleware read this header as the request's credential already: not twice.
            guard header.hasPrefix(AnonymousTask.tokenPrefix), let principal = context.principal else {
                throw MarketplaceError.forbidden("the task token is invalid")
            }
            return principal
        }
        if let token = bodyToken ?? request.uri.queryParameters["token"].map(String.init) {
            guard token.hasPrefix(AnonymousTask.tokenPrefix) else { throw MarketplaceError.forbidden("the task token is invalid") }
            return try await services.auth.authenticate(bearer: token)
        }
        guard let principal = context.principal else { throw MarketplaceError.forbidden("a task_token is required (X-Task-Token header or task_token in the body)") }
        return principal
    }

    /// Only the task's own token (or its owner's credentials) manages it.
    func owner(_ id: String, _ caller: Principal) throws -> MarketTask {
        let task = try services.tasks.task(id, for: caller)
        guard task.ownerID == caller.userID else { throw MarketplaceError.forbidden("only the task's token manages it") }
        return task
    }

    struct TokenBody: Decodable { let taskToken: String? }

    // MARK: - Tasks

    struct CreateBody: Decodable {
        let title: String
        let description: String
        let agentType: String?
        let estimatedHours: Int?
        let priceType: String?
        let price: ExactAmount?
        let locationType: String?
        let locationText: String?
        let deliveryType: String?
        let requiredDeliverables: [String]?
        let callbackUrl: String?
        let verifiedOnly: Bool?

        /// The draft's fields as the document spells them, for `MarketplaceError.spelled`.
        static let fieldNames = ["budget.amount": "price", "budget.type": "price_type", "budget.estimated_hours": "estimated_hours",
                                 "address": "location_text"]

        /// The /v1 draft, in USD, category `other` (the document has no categories); its
        /// callbacks in the document's payloads.
        func draft() throws(MarketplaceError) -> TaskDraft {
            guard let price else { throw .validation(field: "price", message: "price is required: the task's budget in USD") }
            var draft = TaskDraft(title: title, description: description, category: "other", locationType: locationType ?? "remote", address: locationText,
                             budget: .init(amount: price.text, currency: "USD", type: priceType ?? "fixed", estimatedHours: estimatedHours),
                             deliveryType: deliveryType ?? "freeform", requiredDeliverables: requiredDeliverables ?? [],
                             verifiedOnly: verifiedOnly ?? false, callbackURL: callbackUrl)
            draft.callbackFormat = RequestHumanWebhookFormat().name
            return draft
        }
    }

    struct Created: ResponseEncodable, Sendable {
        let success = true
        let task: RequestHumanTaskView
        let taskToken: String
        let taskUrl: String
        let fundUrl: String
        let important = "Store the task_token securely. You need it to manage this task (accept applicants, approve submissions, mark complete, cancel/refund). It cannot be recovered."
    }

    /// Posts anonymously from the client's address (the /v1 anonymous post and its limit of
    /// unfunded tasks per address: 429 past it).
    @Sendable func create(_ request: Request, context: APIContext) async throws -> EditedResponse<Created> {
        let body = try await MarketplaceHTTP.RequestBody.decode(CreateBody.self, from: request, context: context)
        let posted: AnonymousTask
        do { posted = try await services.tasks.createAnonymous(try body.draft(), clientAddress: context.clientAddress, mode: mode) } catch {
            throw error.spelled(CreateBody.fieldNames)
        }
        let path = "/\(Self.prefix)/api/tasks/\(posted.task.id)"
        return EditedResponse(status: .created, response: Created(task: RequestHumanTaskView(posted.task), taskToken: posted.token, taskUrl: path,
                                                                  fundUrl: "\(path)/fund?token=\(posted.token)"))
    }

    struct TaskList: ResponseEncodable, Sendable {
        let success = true
        let tasks: [RequestHumanTaskView]
        let count: Int
        let limit: Int
        let offset: Int
    }

    /// The published tasks, newest first, by `limit`, `offset` and `location_type`.
    @Sendable func list(_ request: Request, context: APIContext) async throws -> TaskList {
        let limit = try MarketplaceHTTP.RequestBody.wholeNumber("limit", in: request, default: 20)
        let offset = try MarketplaceHTTP.RequestBody.wholeNumber("offset", in: request, default: 0)
        let filter = TaskFilter(locationType: request.uri.queryParameters["location_type"].map(String.init), limit: limit, offset: offset)
        let page = try services.tasks.publishedList(filter, mode: mode)
        return TaskList(tasks: page.tasks.map(RequestHumanTaskView.init), count: page.count ?? page.tasks.count, limit: limit, offset: offset)
    }

    struct TaskAnswer: ResponseEncodable, Sendable {
        let success = true
        let task: RequestHumanTaskView
    }

    /// A published task for anyone; with its token, the task in any status.
    @Sendable func get(_ request: Request, context: APIContext) async throws -> TaskAnswer {
        let id = try context.parameters.require("task")
        guard request.headers[Self.tokenHeader] != nil || context.principal != nil else {
            return TaskAnswer(task: RequestHumanTaskView(try services.tasks.publishedTask(id, mode: mode)))
        }
        return TaskAnswer(task: RequestHumanTaskView(try services.tasks.task(id, for: try await caller(request, context))))
    }

    struct UpdateBody: Decodable {
        let status: String
        let feedback: String?
        let taskToken: String?
    }

    /// `completed` approves the work (and pays out), `revision_requested` sends it back,
    /// `hidden` hides the task; `assigned` and `submitted` are what accepting an applicant and
    /// the human's submission do, so they are refused naming the call that sets them.
    @Sendable func update(_ request: Request, context: APIContext) async throws -> TaskAnswer {
        let body = try await MarketplaceHTTP.RequestBody.decode(UpdateBody.self, from: request, context: context)
        let caller = try await caller(request, context, bodyToken: body.taskToken)
        let id = try context.parameters.require("task")
        let task: MarketTask = switch body.status {
        case "completed": try await services.settlement.approve(id, by: caller)
        case "revision_requested":
            try await services.work.requestRevision(of: id, feedback: body.feedback ?? "Revision requested", by: caller)
        case "hidden": try await services.tasks.setHidden(true, id, by: caller)
        case "assigned":
            throw MarketplaceError.validation(field: "status", message: "status assigned is set by accepting an application (PATCH /api/tasks/:id/applications/:appId)")
        case "submitted":
            throw MarketplaceError.validation(field: "status", message: "status submitted is set by the human's submission")
        default:
            throw MarketplaceError.validation(field: "status", message: "status must be one of assigned, submitted, completed, revision_requested, hidden")
        }
        return TaskAnswer(task: RequestHumanTaskView(task))
    }

    // MARK: - Funding

    struct FundAnswer: ResponseEncodable, Sendable {
        let success = true
        /// Stripe's Checkout page; without a card connector in test mode, the task's own page.
        let checkoutUrl: String
        /// The Checkout Session; null when the test connector funded the task at once.
        let sessionId: String?
        /// True when the task is funded already (the test connector pays at once).
        let funded: Bool

        enum CodingKeys: String, CodingKey { case success, checkoutUrl = "checkout_url", sessionId = "session_id", funded }

        /// `session_id` is null rather than left out, as the document's schema has it.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(success, forKey: .success)
            try container.encode(checkoutUrl, forKey: .checkoutUrl)
            try container.encode(sessionId, forKey: .sessionId)
            try container.encode(funded, forKey: .funded)
        }
    }

    /// The task's Stripe Checkout (budget + the 10% fee), opened once and reused. In test mode
    /// without a card connector (`make run`), the test connector funds it at once, as /v1's
    /// `source: connector` does, and the answer points at the task's page.
    func fundAnswer(_ id: String, by caller: Principal) async throws -> FundAnswer {
        let pipeline = FundingPipeline(settlement: services.settlement, work: services.work)
        let rehearsal = services.settlement.card == nil && caller.mode == .test
        let outcome = try await pipeline.fund(id, with: rehearsal ? .testConnector : .card(successURL: nil, cancelURL: nil), by: caller)
        switch outcome {
        // Funded now (the test connector) or before: nothing to pay, the task's page.
        case .funded: return FundAnswer(checkoutUrl: "/\(Self.prefix)/api/tasks/\(id)", sessionId: nil, funded: true)
        case .checkout(let checkout) where checkout.status == .open:
            if let url = checkout.checkoutURL, let session = checkout.sessionID { return FundAnswer(checkoutUrl: url, sessionId: session, funded: false) }
            fallthrough
        default: throw MarketplaceError.conflict(field: "task", message: "the task's funding is not a checkout this dialect can answer (funded another way)")
        }
    }

    @Sendable func fund(_ request: Request, context: APIContext) async throws -> FundAnswer {
        let body = try await MarketplaceHTTP.RequestBody.decodeIfPresent(TokenBody.self, from: request, context: context)
        let caller = try await caller(request, context, bodyToken: body?.taskToken)
        return try await fundAnswer(try context.parameters.require("task"), by: caller)
    }

    /// The browser flow of `fund_url`: 303 to the Checkout page (or the task's page once funded).
    @Sendable func fundRedirect(_ request: Request, context: APIContext) async throws -> Response {
        let answer = try await fundAnswer(try context.parameters.require("task"), by: try await caller(request, context))
        return Response(status: .seeOther, headers: [.location: answer.checkoutUrl])
    }

    struct Cancelled: ResponseEncodable, Sendable {
        let success = true
        let message: String
        let refunded: Bool
        /// The refund's ledger transfer (the id statements show).
        let refundId: String?
        let task: RequestHumanTaskView
    }

    /// Cancels; a funded task's escrow goes back in full (to the card that paid it).
    @Sendable func cancel(_ request: Request, context: APIContext) async throws -> Cancelled {
        let body = try await MarketplaceHTTP.RequestBody.decodeIfPresent(TokenBody.self, from: request, context: context)
        let caller = try await caller(request, context, bodyToken: body?.taskToken)
        let closed = try await services.settlement.cancel(try context.parameters.require("task"), by: caller)
        return Cancelled(message: closed.refund == nil ? "Task cancelled" : "Task cancelled and refunded", refunded: closed.refund != nil,
                         refundId: closed.refund.map { "\($0.transferID)" }, task: RequestHumanTaskView(closed.task))
    }
}
