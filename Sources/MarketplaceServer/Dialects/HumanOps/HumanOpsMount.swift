import Foundation
public import Hummingbird
import HTTPTypes
import LedgerCore
public import Marketplace
public import MarketplaceHTTP
import MarketplaceViews
import MarketplaceViews

/// Seed 003's REST API (HumanOps) under /compat/humanops, so a client whose `HUMANOPS_API_URL`
/// points here works unchanged: `X-API-Key`, `POST /api/v1/agents/register`, tasks with
/// `task_type`, `location`, `reward_usd`, `deadline` and `proof_requirements`, answered with
/// `task_id` and the document's status names. A translator only: every request goes to the
/// same services, funding pipeline and ledger recipes as /v1.
///
/// The document's promises, as /v1 rules: escrow at posting (the task and its funding land in
/// one commit, or nothing does: a short wallet is 402 INSUFFICIENT_BALANCE); in test mode the
/// test connector funds it, a mock operator does the task and proof scoring decides (90 and
/// above approves and pays, below 50 rejects), so an agent rehearses the whole lifecycle
/// alone; a cancel refunds the escrow in full.
public struct HumanOpsMount: RouteMount {
    static let base = "compat/humanops/api/v1"
    /// Its MCP tools (post_task, check_status, …), mounted by `serverMounts`.
    static let mcpPath = "compat/humanops/mcp"
    let services: Services

    public init(services: Services) { self.services = services }

    public func addRoutes(to router: Router<APIContext>) {
        router.get("compat/humanops/openapi.json") { _, _ in try self.documentResponse() }
        router.post("\(Self.base)/agents/register", use: register)
        router.post("\(Self.base)/tasks", use: create)
        router.get("\(Self.base)/tasks", use: list)
        router.get("\(Self.base)/tasks/{task}", use: get)
        router.post("\(Self.base)/tasks/{task}/cancel", use: cancel)
    }

    struct RegisterBody: Decodable {
        let name: String
        let email: String
        let password: String?
    }

    struct RegisteredView: ResponseEncodable, Sendable {
        let agentId: String
        let name: String
        let email: String
        /// Shown in this answer only; stored hashed.
        let apiKey: String
        let mode: String
    }

    /// An agent and its test-mode key in one call (the /v1 agent registration).
    @Sendable func register(_ request: Request, context: APIContext) async throws -> EditedResponse<RegisteredView> {
        let body = try await MarketplaceHTTP.RequestBody.decode(RegisterBody.self, from: request, context: context)
        let registered = try await services.auth.registerAgent(AgentRegistration(name: body.name, email: body.email, password: body.password))
        return EditedResponse(status: .created, response: RegisteredView(agentId: registered.user.id, name: registered.user.fullName,
                                                                         email: registered.user.email, apiKey: registered.key.secret,
                                                                         mode: registered.key.key.mode.rawValue))
    }

    struct CreateBody: Decodable {
        struct Location: Decodable {
            let lat: Double
            let lng: Double
            let address: String?
        }

        let title: String
        let description: String
        let taskType: String
        let location: Location?
        let rewardUsd: ExactAmount
        let deadline: String?
        let proofRequirements: [String]?

        var request: HumanOpsTaskRequest {
            HumanOpsTaskRequest(title: title, description: description, taskType: taskType,
                                location: location.map { .init(lat: $0.lat, lng: $0.lng, address: $0.address) }, reward: rewardUsd.text,
                                deadline: deadline, proofRequirements: proofRequirements ?? [])
        }
    }

    /// Posts a task with its escrow in the same commit.
    @Sendable func create(_ request: Request, context: APIContext) async throws -> EditedResponse<Answer<HumanOpsTaskView>> {
        let caller = try context.requirePrincipal()
        let body = try await MarketplaceHTTP.RequestBody.decode(CreateBody.self, from: request, context: context)
        let pipeline = FundingPipeline(settlement: services.settlement, work: services.work, tasks: services.tasks)
        let funded = try await pipeline.post(body.request.draft(mode: caller.mode), funding: HumanOpsTaskRequest.funding(mode: caller.mode), by: caller)
        return EditedResponse(status: .created, response: Answer(HumanOpsTaskView(funded.task)))
    }

    struct TaskList: ResponseEncodable, Sendable {
        let tasks: [HumanOpsTaskView]
        let hasMore: Bool
        let nextCursor: String?
    }

    /// The caller's tasks, newest first (`limit`, `cursor`).
    @Sendable func list(_ request: Request, context: APIContext) async throws -> TaskList {
        let caller = try context.requirePrincipal()
        let limit = try MarketplaceHTTP.RequestBody.wholeNumber("limit", in: request, default: 20)
        let page = try services.tasks.list(TaskFilter(mine: true, limit: limit, cursor: request.uri.queryParameters["cursor"].map(String.init)),
                                           for: caller)
        return TaskList(tasks: page.tasks.map { HumanOpsTaskView($0) }, hasMore: page.hasMore, nextCursor: page.nextCursor)
    }

    @Sendable func get(_ request: Request, context: APIContext) async throws -> Answer<HumanOpsTaskView> {
        let caller = try context.requirePrincipal()
        return Answer(HumanOpsTaskView(try services.tasks.task(try context.parameters.require("task"), for: caller)))
    }

    /// Cancels a task; its escrow goes back in full.
    @Sendable func cancel(_ request: Request, context: APIContext) async throws -> Answer<HumanOpsTaskView> {
        let caller = try context.requirePrincipal()
        try await MarketplaceHTTP.RequestBody.refuseFields(request, context: context)
        let closed = try await services.settlement.cancel(try context.parameters.require("task"), by: caller)
        return Answer(HumanOpsTaskView(closed.task, refunded: closed.refund != nil))
    }
}

extension HumanOpsMount {
    /// The dialect's document as JSON, sorted as /openapi.json is.
    func documentResponse() throws -> Response {
        try DialectDocument.response(document)
    }
}
