import Foundation
public import Hummingbird
import HTTPTypes
import LedgerCore
public import Marketplace
public import MarketplaceHTTP
import MarketplaceViews

/// Seed 004's REST API (Humans2AI) under /compat/humans2ai/api/v1, so a client whose base URL
/// points here works unchanged: `Authorization: Bearer sk_live_…` (our keys carry the same
/// prefixes), registration, login and refresh under /public, tasks whose budget is held in
/// escrow from the wallet at posting, applications, selection, submission, approval with the
/// payout, rejection, disputes, the task chat and the wallet, answered in the document's
/// camelCase with its error codes. A translator only: every request goes to the same services,
/// funding pipeline and ledger recipes as /v1; the fee is the operator's pricing rule.
public struct Humans2AIMount: RouteMount {
    static let prefix = "compat/humans2ai"
    static let base = "compat/humans2ai/api/v1"
    /// The document's `POST /api/v1/mcp`, served by the MCP mount with the marketplace's tools.
    static let mcpPath = "compat/humans2ai/api/v1/mcp"
    let services: Services
    let mode: Mode

    public init(services: Services, mode: String) {
        self.services = services
        self.mode = Mode(rawValue: mode) ?? .test
    }

    public func addRoutes(to router: Router<APIContext>) {
        router.get("\(Self.prefix)/openapi.json") { _, _ in try self.documentResponse() }
        let group = router.group(RouterPath(Self.base)).add(middleware: Humans2AIErrorMiddleware())
        group.post("public/auth/register", use: register)
        group.post("public/auth/login", use: login)
        group.post("public/auth/refresh", use: refresh)
        group.post("public/check-email", use: checkEmail)
        group.post("tasks", use: create)
        group.get("tasks", use: list)
        group.get("tasks/{task}", use: get)
        addWorkRoutes(to: group)
        addAccountRoutes(to: group)
    }

    // MARK: - Accounts

    struct RegisterBody: Decodable {
        let email: String
        let password: String
        let displayName: String
        /// `agent` (the default: an AI agent with its API key) or `human` (an executor, who logs in).
        let role: String?
    }

    struct RegisteredView: Encodable, Sendable {
        let userId: String
        let email: String
        let displayName: String
        let role: String
        /// An agent's key, shown in this answer only (stored hashed).
        let apiKey: String?
    }

    /// An AI agent account with its API key in one call, or a human executor's account.
    @Sendable func register(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<RegisteredView> {
        let body = try await MarketplaceHTTP.RequestBody.decodeCamelCase(RegisterBody.self, from: request, context: context)
        switch body.role ?? "agent" {
        case "agent":
            let agent = try await services.auth.registerAgent(AgentRegistration(name: body.displayName, email: body.email, password: body.password))
            return Humans2AIAnswer(RegisteredView(userId: agent.user.id, email: agent.user.email, displayName: agent.user.fullName, role: "agent",
                                                  apiKey: agent.key.secret), status: .created)
        case "human":
            let user = try await services.auth.register(Registration(email: body.email, password: body.password, fullName: body.displayName,
                                                                     role: UserRole.human.rawValue))
            return Humans2AIAnswer(RegisteredView(userId: user.id, email: user.email, displayName: user.fullName, role: "human", apiKey: nil),
                                   status: .created)
        default:
            throw APIError.validation("role must be agent or human", field: "role")
        }
    }

    struct LoginBody: Decodable {
        let email: String
        let password: String
    }

    struct RefreshBody: Decodable { let refreshToken: String }

    /// The document's Firebase ID token pair: `idToken` is our access token, sent as the Bearer.
    struct TokensView: Encodable, Sendable {
        let idToken: String
        let refreshToken: String
        let expiresIn: Int64
        let userId: String
        let email: String
        let role: String

        init(_ session: Session) {
            idToken = session.accessToken
            refreshToken = session.refreshToken
            expiresIn = session.expiresIn
            userId = session.user.id
            email = session.user.email
            role = session.user.role.rawValue
        }
    }

    /// Tokens in the server's mode (the document's test and live keys are the key's mode).
    @Sendable func login(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<TokensView> {
        let body = try await MarketplaceHTTP.RequestBody.decodeCamelCase(LoginBody.self, from: request, context: context)
        return Humans2AIAnswer(TokensView(try await services.auth.login(email: body.email, password: body.password, mode: mode)))
    }

    @Sendable func refresh(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<TokensView> {
        let body = try await MarketplaceHTTP.RequestBody.decodeCamelCase(RefreshBody.self, from: request, context: context)
        return Humans2AIAnswer(TokensView(try await services.auth.refresh(body.refreshToken)))
    }

    struct EmailBody: Decodable { let email: String }

    struct EmailView: Encodable, Sendable {
        let email: String
        let registered: Bool
    }

    @Sendable func checkEmail(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<EmailView> {
        let body = try await MarketplaceHTTP.RequestBody.decodeCamelCase(EmailBody.self, from: request, context: context)
        return Humans2AIAnswer(EmailView(email: body.email, registered: !(try services.auth.isEmailAvailable(body.email))))
    }

    // MARK: - Tasks

    struct CreateBody: Decodable {
        let title: String
        let description: String
        let category: String
        let budget: ExactAmount
        let deadline: String?
        let location: String?
        let remote: Bool?
        let urgency: String?

        var request: Humans2AITaskRequest {
            Humans2AITaskRequest(title: title, description: description, category: category, budget: budget.text, deadline: deadline,
                                 location: location, remote: remote, urgency: urgency)
        }
    }

    /// Posts a task with its budget in escrow from the wallet, in one commit: a short wallet is
    /// 400 INSUFFICIENT_BALANCE and nothing is written; the Risk Gate reviews it first.
    @Sendable func create(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<Humans2AITaskView> {
        let caller = try context.requirePrincipal()
        let body = try await MarketplaceHTTP.RequestBody.decodeCamelCase(CreateBody.self, from: request, context: context)
        let pipeline = FundingPipeline(settlement: services.settlement, work: services.work, tasks: services.tasks)
        let funded = try await pipeline.post(body.request.draft, funding: .wallet, by: caller)
        return Humans2AIAnswer(try view(funded.task), status: .created)
    }

    struct Pagination: Encodable, Sendable {
        let page: Int
        let limit: Int
        let total: Int
    }

    struct TaskList: Encodable, Sendable {
        let tasks: [Humans2AITaskView]
        let pagination: Pagination
    }

    /// An agent's own tasks; for a human, the open tasks of everyone. Filters as the document
    /// lists them: status, category, remote, urgency, page (from 1) and limit.
    @Sendable func list(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<TaskList> {
        let caller = try context.requirePrincipal()
        let query = request.uri.queryParameters
        let status = try query["status"].map { name throws(MarketplaceError) -> String in
            guard let ours = Humans2AIStatus.filter(String(name)) else {
                throw .validation(field: "status", message: "status must be one of \(Humans2AIStatus.names.joined(separator: ", "))")
            }
            return ours
        }
        let remote = try query["remote"].map { value throws(MarketplaceError) -> String in
            guard value == "true" || value == "false" else { throw .validation(field: "remote", message: "remote must be true or false") }
            return value == "true" ? LocationType.remote.rawValue : LocationType.local.rawValue
        }
        let limit = try MarketplaceHTTP.RequestBody.wholeNumber("limit", in: request, default: 20)
        let page = try MarketplaceHTTP.RequestBody.wholeNumber("page", in: request, default: 1)
        guard page >= 1 else { throw APIError.validation("page must be 1 or more", field: "page") }
        let (offset, overflow) = (page - 1).multipliedReportingOverflow(by: max(limit, 0))
        guard !overflow else { throw APIError.validation("page is too deep", field: "page") }
        let filter = TaskFilter(status: status, category: query["category"].map(String.init), locationType: remote,
                                urgency: query["urgency"].map { Humans2AIStatus.urgency(String($0)) }, mine: caller.role != .human,
                                limit: limit, offset: offset)
        let found = try services.tasks.list(filter, for: caller)
        return Humans2AIAnswer(TaskList(tasks: try found.tasks.map(view), pagination: Pagination(page: page, limit: limit, total: found.count ?? found.tasks.count)))
    }

    @Sendable func get(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<Humans2AITaskView> {
        let caller = try context.requirePrincipal()
        return Humans2AIAnswer(try view(try services.tasks.task(try context.parameters.require("task"), for: caller)))
    }

    /// The task with its agent's name.
    func view(_ task: MarketTask) throws -> Humans2AITaskView {
        Humans2AITaskView(task, agentName: try services.auth.user(task.ownerID).fullName)
    }
}

extension Humans2AIMount {
    /// The dialect's document as JSON, sorted as /openapi.json is.
    func documentResponse() throws -> Response {
        try DialectDocument.response(document)
    }
}
