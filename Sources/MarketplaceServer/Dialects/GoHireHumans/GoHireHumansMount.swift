import Foundation
public import Hummingbird
import HTTPTypes
import LedgerCore
public import Marketplace
public import MarketplaceHTTP
import MarketplaceViews

/// Seeds 000 and 001's REST API (GoHireHumans) under /compat/gohirehumans, so a client whose
/// `GOHIREHUMANS_API_URL` points here works unchanged: JWT auth at /auth/register|login|me
/// with roles `ai_client` and `client`, tasks at /api/v1/tasks and (seed 000's name) /api/v1/jobs
/// with `budget_amount` and `budget_type`, the five statuses, `limit`/`offset`, Stripe
/// checkout to fund a task and the balance with its escrow. A translator only: every request
/// goes to the same services, funding pipeline and ledger recipes as /v1.
public struct GoHireHumansMount: RouteMount {
    static let prefix = "compat/gohirehumans"
    /// Its MCP tools (search_services, browse_jobs, create_job, …), mounted by `serverMounts`.
    static let mcpPath = "compat/gohirehumans/mcp"
    let services: Services
    let mode: Mode

    public init(services: Services, mode: String) {
        self.services = services
        self.mode = Mode(rawValue: mode) ?? .test
    }

    public func addRoutes(to router: Router<APIContext>) {
        router.get("\(Self.prefix)/openapi.json") { _, _ in try DialectDocument.response(self.document) }
        router.post("\(Self.prefix)/auth/register", use: register)
        router.post("\(Self.prefix)/auth/login", use: login)
        router.get("\(Self.prefix)/auth/me", use: me)
        for noun in ["tasks", "jobs"] {
            router.post("\(Self.prefix)/api/v1/\(noun)", use: create)
            router.get("\(Self.prefix)/api/v1/\(noun)", use: list)
            router.get("\(Self.prefix)/api/v1/\(noun)/{task}", use: get)
            router.post("\(Self.prefix)/api/v1/\(noun)/{task}/approve", use: approve)
            router.post("\(Self.prefix)/api/v1/\(noun)/{task}/cancel", use: cancel)
        }
        router.get("\(Self.prefix)/api/v1/services", use: searchServices)
        router.get("\(Self.prefix)/api/v1/services/{service}", use: service)
        router.get("\(Self.prefix)/api/v1/categories", use: categories)
        router.post("\(Self.prefix)/api/v1/payments/checkout", use: checkout)
        router.get("\(Self.prefix)/api/v1/payments/balance", use: balance)
        router.get("\(Self.prefix)/api/v1/payments/history", use: history)
        router.post("\(Self.prefix)/api/v1/payments/prepare-order-payment", use: prepareOrderPayment)
    }

    // MARK: - Accounts

    struct RegisterBody: Decodable {
        let email: String
        let password: String
        let fullName: String
        let role: String
    }

    struct UserView: ResponseEncodable, Sendable {
        let id: String
        let email: String
        let fullName: String
        let role: String
        let createdAt: String

        init(_ user: User) {
            id = user.id
            email = user.email
            fullName = user.fullName
            role = user.role == .agent ? "ai_client" : user.role.rawValue
            createdAt = Timestamps.format(user.createdAt)
        }
    }

    /// `role` is the document's: ai_client (an AI agent) or client (a person who hires).
    @Sendable func register(_ request: Request, context: APIContext) async throws -> EditedResponse<UserView> {
        let body = try await MarketplaceHTTP.RequestBody.decode(RegisterBody.self, from: request, context: context)
        let role: String = switch body.role {
        case "ai_client": UserRole.agent.rawValue
        case "client": UserRole.client.rawValue
        default: throw MarketplaceError.validation(field: "role", message: "role must be ai_client (an AI agent) or client (a person who hires)")
        }
        let user = try await services.auth.register(Registration(email: body.email, password: body.password, fullName: body.fullName, role: role))
        return EditedResponse(status: .created, response: UserView(user))
    }

    struct LoginBody: Decodable {
        let email: String
        let password: String
    }

    struct TokenView: ResponseEncodable, Sendable {
        let accessToken: String
        let tokenType: String
        let expiresIn: Int64
        let user: UserView
    }

    /// A JWT for the server's mode (the document has no test and live modes).
    @Sendable func login(_ request: Request, context: APIContext) async throws -> TokenView {
        let body = try await MarketplaceHTTP.RequestBody.decode(LoginBody.self, from: request, context: context)
        let session = try await services.auth.login(email: body.email, password: body.password, mode: mode)
        return TokenView(accessToken: session.accessToken, tokenType: "bearer", expiresIn: session.expiresIn, user: UserView(session.user))
    }

    @Sendable func me(_ request: Request, context: APIContext) async throws -> UserView {
        UserView(try services.auth.user(try context.requirePrincipal().userID))
    }

    // MARK: - Tasks

    struct CreateBody: Decodable {
        let title: String
        let description: String
        let category: String
        let locationType: String
        let budgetAmount: ExactAmount
        let budgetType: String
        let location: String?
        let deadline: String?

        /// The job as the dialect's request, the budget as its exact text.
        var job: GoHireHumansJobRequest {
            GoHireHumansJobRequest(title: title, description: description, category: category, locationType: locationType,
                                   budgetAmount: budgetAmount.text, budgetType: budgetType, location: location, deadline: deadline)
        }
    }

    @Sendable func create(_ request: Request, context: APIContext) async throws -> EditedResponse<Answer<GoHireHumansTaskView>> {
        let caller = try context.requirePrincipal()
        let body = try await MarketplaceHTTP.RequestBody.decode(CreateBody.self, from: request, context: context)
        let task: MarketTask
        do { task = try await services.tasks.create(try body.job.draft(), by: caller) } catch { throw error.spelled(GoHireHumansJobRequest.fieldNames) }
        return EditedResponse(status: .created, response: Answer(GoHireHumansTaskView(task)))
    }

    struct TaskList: ResponseEncodable, Sendable {
        let tasks: [GoHireHumansTaskView]
        let total: Int
        let limit: Int
        let offset: Int
    }

    /// The caller's tasks (any status, or one of the five), newest first, by limit and offset.
    @Sendable func list(_ request: Request, context: APIContext) async throws -> TaskList {
        let caller = try context.requirePrincipal()
        let query = request.uri.queryParameters
        let status = try query["status"].map { name throws(MarketplaceError) -> String in
            guard let ours = GoHireHumansStatus.filter(String(name)) else {
                throw .validation(field: "status", message: "status must be one of \(GoHireHumansStatus.names.joined(separator: ", "))")
            }
            return ours
        }
        let limit = try MarketplaceHTTP.RequestBody.wholeNumber("limit", in: request, default: 20)
        let offset = try MarketplaceHTTP.RequestBody.wholeNumber("offset", in: request, default: 0)
        let page = try services.tasks.list(TaskFilter(status: status, category: query["category"].map(String.init), mine: true, limit: limit,
                                                      offset: offset), for: caller)
        return TaskList(tasks: page.tasks.map { GoHireHumansTaskView($0) }, total: page.count ?? page.tasks.count, limit: limit, offset: offset)
    }

    /// One task with its assigned professional and its latest deliverables (seed 001's "current
    /// status, assigned professional, and deliverables").
    @Sendable func get(_ request: Request, context: APIContext) async throws -> Answer<GoHireHumansTaskView> {
        let caller = try context.requirePrincipal()
        let task = try services.tasks.task(try context.parameters.require("task"), for: caller)
        return Answer(GoHireHumansTaskView(task, submissions: try services.work.submissions(of: task.id, for: caller)))
    }

    /// Seed 001's "approve completion": the owner approves the submitted work, the professional
    /// is paid and the platform keeps its fee, in one commit (/v1's approve).
    @Sendable func approve(_ request: Request, context: APIContext) async throws -> Answer<GoHireHumansTaskView> {
        let caller = try context.requirePrincipal()
        try await MarketplaceHTTP.RequestBody.refuseFields(request, context: context)
        let task = try await services.settlement.approve(try context.parameters.require("task"), by: caller)
        return Answer(GoHireHumansTaskView(task, submissions: try services.work.submissions(of: task.id, for: caller)))
    }

    struct CanceledView: ResponseEncodable, Sendable {
        let task: GoHireHumansTaskView
        let refunded: Bool
        /// The whole escrow, the fee included; nil when the task was never funded.
        let refundAmount: Decimal?
        let currency: String
        /// wallet, or card (sent back to the card that paid).
        let refundTo: String?
    }

    /// A task canceled while open or in progress; its escrow, fee included, goes back to where
    /// it came from (/v1's cancel). The documents list `canceled` but print no path: this one
    /// is /v1's under the dialect's nouns.
    @Sendable func cancel(_ request: Request, context: APIContext) async throws -> CanceledView {
        let caller = try context.requirePrincipal()
        try await MarketplaceHTTP.RequestBody.refuseFields(request, context: context)
        let closed = try await services.settlement.cancel(try context.parameters.require("task"), by: caller)
        let asset = closed.refund?.asset ?? closed.task.spec.asset
        return CanceledView(task: GoHireHumansTaskView(closed.task), refunded: closed.refund != nil,
                            refundAmount: closed.refund.map { ExactDecimal.of($0.amountMinor, $0.asset) }, currency: asset.code,
                            refundTo: closed.refund?.to.rawValue)
    }

    // MARK: - Services

    /// Seed 000's "search and browse freelance services" as REST (its MCP tool
    /// `search_services` under the same names): query, category, min_price, max_price,
    /// currency, price_type, location_type, limit and offset; anonymous callers see the
    /// published services of the server's mode.
    @Sendable func searchServices(_ request: Request, context: APIContext) async throws -> Answer<ServicePageView> {
        let query = request.uri.queryParameters
        let known: Set<String> = ["query", "category", "min_price", "max_price", "currency", "price_type", "location_type", "limit", "offset"]
        if let unknown = query.map({ String($0.key) }).first(where: { !known.contains($0) }) {
            throw MarketplaceError.validation(field: unknown, message: "unknown query parameter \(unknown); known: \(known.sorted().joined(separator: ", "))")
        }
        let text = { (name: String) in query[Substring(name)].map(String.init) }
        let filter = ServiceFilter(query: text("query"), category: text("category"), minPrice: text("min_price"), maxPrice: text("max_price"),
                                   currency: text("currency"), priceType: text("price_type"), locationType: text("location_type"),
                                   mine: false, limit: try MarketplaceHTTP.RequestBody.wholeNumber("limit", in: request, default: 20), cursor: nil,
                                   offset: try MarketplaceHTTP.RequestBody.wholeNumber("offset", in: request, default: 0))
        return Answer(ServicePageView(try services.catalog.search(filter, for: context.principal, mode: context.principal?.mode ?? mode)))
    }

    /// One service with its provider (the MCP tool `get_service_details`).
    @Sendable func service(_ request: Request, context: APIContext) async throws -> Answer<ServiceView> {
        Answer(ServiceView(try services.catalog.service(try context.parameters.require("service"), for: context.principal,
                                                        mode: context.principal?.mode ?? mode)))
    }

    struct CategoriesView: ResponseEncodable, Sendable { let groups: [CategoryGroup] }

    /// The category values a task's or a service's `category` takes, group by group (the MCP
    /// tool `get_categories`).
    @Sendable func categories(_ request: Request, context: APIContext) async throws -> CategoriesView {
        CategoriesView(groups: CategoryGroup.all)
    }

    // MARK: - Payments

    struct CheckoutBody: Decodable {
        let taskId: String
        let amount: ExactAmount
        let successUrl: String
        let cancelUrl: String
    }

    struct CheckoutView: ResponseEncodable, Sendable {
        let taskId: String
        let sessionId: String?
        let checkoutUrl: String?
        let status: String
        /// What the card is charged: the budget and the platform's fee on top.
        let amount: Decimal
        let currency: String
    }

    /// A Stripe Checkout Session for the task's escrow. `amount` must be the task's budget (the
    /// fee is added on top, as on /v1): an amount that differs is refused naming it, nothing opened.
    @Sendable func checkout(_ request: Request, context: APIContext) async throws -> EditedResponse<CheckoutView> {
        let caller = try context.requirePrincipal()
        try caller.require(.walletWrite)  // before the task is read: a key without the scope learns nothing
        let body = try await MarketplaceHTTP.RequestBody.decode(CheckoutBody.self, from: request, context: context)
        let task = try services.tasks.task(body.taskId, for: caller)
        let amount: Int64
        do { amount = try MinorUnits.parse(body.amount.text, scale: task.spec.asset.scale) } catch {
            throw MarketplaceError.validation(field: "amount", message: "amount: \(error)")
        }
        guard amount == task.spec.budgetMinor else {
            throw MarketplaceError.validation(field: "amount", message: "amount must be the task's budget, \(MinorUnits.format(task.spec.budgetMinor, scale: task.spec.asset.scale)) \(task.spec.asset.code); the platform's fee is charged on top")
        }
        let pipeline = FundingPipeline(settlement: services.settlement, work: services.work)
        let outcome = try await pipeline.fund(task.id, with: .card(successURL: body.successUrl, cancelURL: body.cancelUrl), by: caller)
        guard case .checkout(let session) = outcome else {
            throw MarketplaceError.conflict(field: "task_id", message: "the task was funded without a checkout")
        }
        let asset = Asset.named(session.asset.uppercased()) ?? task.spec.asset
        return EditedResponse(status: .created, response: CheckoutView(taskId: task.id, sessionId: session.sessionID, checkoutUrl: session.checkoutURL,
                                                                       status: session.status.rawValue,
                                                                       amount: ExactDecimal.of(session.amountMinor, asset),
                                                                       currency: asset.code))
    }

    struct BalanceView: ResponseEncodable, Sendable {
        struct Line: Encodable, Sendable {
            let currency: String
            let available: Decimal
            /// In the escrow of funded tasks not yet released, and outflows not yet settled.
            let escrow: Decimal
        }

        let balances: [Line]
    }

    /// The caller's balances with what is in escrow, per currency.
    @Sendable func balance(_ request: Request, context: APIContext) async throws -> BalanceView {
        let wallets = try await services.settlement.wallets(for: try context.requirePrincipal())
        return BalanceView(balances: wallets.map { wallet in
            .init(currency: wallet.asset.code, available: ExactDecimal.of(wallet.availableMinor, wallet.asset),
                  escrow: ExactDecimal.of(wallet.frozenMinor, wallet.asset))
        })
    }

    struct HistoryView: ResponseEncodable, Sendable {
        struct Event: Encodable, Sendable {
            let taskId: String
            /// checkout (a card funding), refund, payout or reversal.
            let kind: String
            /// pending, sent, settled or failed.
            let status: String
            let amount: Decimal?
            let currency: String
            /// Stripe's id (cs_…, re_…, tr_…) once it answered.
            let reference: String?
            let createdAt: String
            let updatedAt: String
        }

        let payments: [Event]
        let limit: Int
    }

    /// Seed 000's "payment events for the authenticated account": the caller's Stripe calls
    /// (checkouts, refunds, payouts), newest first, where each stands; `limit` 1 to 200
    /// (default 20), `status` one of pending, sent, settled, failed.
    @Sendable func history(_ request: Request, context: APIContext) async throws -> HistoryView {
        let caller = try context.requirePrincipal()
        let limit = try MarketplaceHTTP.RequestBody.wholeNumber("limit", in: request, default: 20)
        let state = request.uri.queryParameters["status"].map(String.init)
        if let state, state == "failing" { throw MarketplaceError.validation(field: "status", message: "status must be pending, sent, settled or failed") }
        let payments: [TaskPayment]
        do { payments = try services.settlement.payments(for: caller, state: state, limit: limit) } catch { throw error.spelled(["state": "status"]) }
        return HistoryView(payments: payments.map { payment in
            let asset = Asset.named(payment.asset)
            return .init(taskId: payment.taskID, kind: payment.kind, status: payment.state, amount: asset.map { ExactDecimal.of(payment.amountMinor, $0) },
                         currency: payment.asset, reference: payment.reference, createdAt: Timestamps.format(payment.createdAt),
                         updatedAt: Timestamps.format(payment.updatedAt))
        }, limit: limit)
    }

    struct PrepareBody: Decodable {
        /// The order's number (`number` in /v1/orders), as the document's integer order id.
        let orderId: Int64
        let amount: ExactAmount
        let milestoneId: String?
    }

    struct PreparedView: ResponseEncodable, Sendable {
        let orderId: Int64
        /// The order's task, where its status and funding are read.
        let taskId: String
        /// awaiting_approval (through an API key: the account owner approves it, logged in, at
        /// /v1/funding-approvals) or funded (the owner's own session, or funded already).
        let status: String
        let approvalId: String?
        let amount: Decimal
        let currency: String
    }

    /// Seed 000's owner-approved payment of an order: /v1's prepare-payment for the order the
    /// integer `order_id` numbers; 202 while it awaits the owner's approval, 200 once funded.
    @Sendable func prepareOrderPayment(_ request: Request, context: APIContext) async throws -> EditedResponse<PreparedView> {
        let caller = try context.requirePrincipal()
        let body = try await MarketplaceHTTP.RequestBody.decode(PrepareBody.self, from: request, context: context)
        guard body.orderId > 0 else { throw MarketplaceError.validation(field: "order_id", message: "order_id is a positive order number") }
        let catalog = services.catalog
        let taskID: String
        do { taskID = try catalog.orderID(number: body.orderId, for: caller) } catch .notFound(let message) {
            throw MarketplaceError.validation(field: "order_id", message: message)
        }
        let payment = try await catalog.preparePayment(order: taskID, amount: body.amount.text, milestoneID: body.milestoneId, by: caller)
        let placed = try catalog.order(taskID, for: caller)
        let asset = placed.task.spec.asset
        switch payment {
        case .awaitingApproval(let approval):
            return EditedResponse(status: .accepted, response: PreparedView(orderId: body.orderId, taskId: taskID, status: "awaiting_approval",
                                                                            approvalId: approval.id, amount: ExactDecimal.of(approval.amountMinor, asset),
                                                                            currency: asset.code))
        case .funded(let funding):
            return EditedResponse(status: .ok, response: PreparedView(orderId: body.orderId, taskId: taskID, status: "funded", approvalId: nil,
                                                                      amount: ExactDecimal.of(funding.escrowMinor, asset), currency: asset.code))
        }
    }
}
