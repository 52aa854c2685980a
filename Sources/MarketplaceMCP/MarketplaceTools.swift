public import Logging
public import MCP
public import Marketplace

/// Every agent operation as an MCP tool over the same Marketplace services the REST routes
/// call, with the caller's `Principal` passed through: scopes, roles, ownership and test/live
/// mode are decided by the services, exactly as for REST. No tool writes a table itself.
public struct MarketplaceTools: Sendable {
    let tasks: TaskService
    let settlement: SettlementService
    let work: WorkService
    let messages: MessageService
    let platform: PlatformFacts
    /// Where an internal error's details go; the caller only sees INTERNAL_ERROR.
    let logger: Logger
    /// Which tools `tools/list` shows and `tools/call` runs.
    let toolSet: ToolSet

    /// Funding, whatever the source: the same pipeline REST calls.
    var funding: FundingPipeline { FundingPipeline(settlement: settlement, work: work) }
    /// Services and their orders, over the same services.
    var catalog: ServiceCatalog { ServiceCatalog(tasks: tasks, settlement: settlement, work: work) }

    public init(tasks: TaskService, settlement: SettlementService, work: WorkService, messages: MessageService, platform: PlatformFacts,
                logger: Logger = Logger(label: "marketplace.mcp"), toolSet: ToolSet = .marketplace) {
        self.tasks = tasks
        self.settlement = settlement
        self.work = work
        self.messages = messages
        self.platform = platform
        self.logger = logger
        self.toolSet = toolSet
    }

    /// Every tool, in the order `tools/list` shows them.
    static let definitions: [ToolDefinition] = TaskTools.definitions + FundingTools.definitions + MilestoneTools.definitions + WorkTools.definitions
        + MessageTools.definitions + WalletTools.definitions + ServiceTools.definitions + PlatformTools.definitions

    /// The tools as `tools/list` answers: name, description, input schema, hints.
    public var tools: [Tool] { toolSet.definitions.map(\.tool) }

    /// Runs one tool for a key's principal.
    public func call(_ name: String, arguments: [String: Value]?, by caller: Principal) async throws -> CallTool.Result {
        try await call(name, arguments: arguments, by: .principal(caller))
    }

    /// Runs one tool for `caller`. A refusal comes back as a tool error carrying REST's code
    /// and field; an unknown tool name is a protocol error (invalid params); a tool that needs
    /// a key, called without one, is UNAUTHORIZED.
    public func call(_ name: String, arguments: [String: Value]?, by caller: ToolCaller) async throws -> CallTool.Result {
        guard let definition = toolSet.byName[name] else {
            throw MCPError.invalidParams("unknown tool '\(name)'; tools/list names the \(toolSet.definitions.count) tools")
        }
        guard caller.principal != nil || definition.anonymous else {
            let open = toolSet.anonymousNames
            return ToolOutput.failure(MarketplaceError.unauthorized("\(name) needs an API key (Authorization: Bearer sk_test_…); "
                + (open.isEmpty ? "every tool here does" : "without one only \(open) answer")))
        }
        do {
            let checked = try ToolArguments(arguments, schema: definition.tool.inputSchema)
            return try ToolOutput.success(try await definition.run(ToolCall(tools: self, arguments: checked, caller: caller)))
        } catch let error as MarketplaceError {
            if case .internalError(let detail) = error { logger.error("tool failed", metadata: ["tool": "\(name)", "error": "\(detail)"]) }
            return ToolOutput.failure(error)
        } catch let refusal as ToolRefusal {
            return ToolOutput.failure(refusal)
        } catch {
            logger.error("tool failed", metadata: ["tool": "\(name)", "error.type": "\(type(of: error))"])
            return ToolOutput.failure(ToolOutput.internalError)
        }
    }
}

/// The tool sets a server offers: the marketplace's own, or a seed API's (a dialect).
public enum ToolSet: String, Sendable, CaseIterable {
    /// create_task, fund_task, approve_submission, … (the /v1 API as tools).
    case marketplace
    /// Seed 003's post_task, check_status, … (HumanOps).
    case humanops
    /// Seed 000's search_services, browse_jobs, create_job, … (GoHireHumans).
    case gohirehumans
    /// Seed 002's twelve tools (create_task, fund_task, respond_to_submission, …): the
    /// marketplace's own, which carry the same names and arguments.
    case requesthuman
    /// Seed 004's MCP endpoint: its document counts 15 tools but names none, so the
    /// marketplace's own are served there.
    case humans2ai

    var definitions: [ToolDefinition] {
        switch self {
        case .marketplace, .requesthuman, .humans2ai: MarketplaceTools.definitions
        case .humanops: HumanOpsTools.definitions
        case .gohirehumans: GoHireHumansTools.definitions
        }
    }

    private static let lookup = Dictionary(uniqueKeysWithValues: allCases.map { set in
        (set, Dictionary(uniqueKeysWithValues: set.definitions.map { ($0.tool.name, $0) }))
    })

    var byName: [String: ToolDefinition] { Self.lookup[self] ?? [:] }

    /// The tools that answer without a key, for the refusal's message.
    var anonymousNames: String { definitions.filter(\.anonymous).map(\.tool.name).joined(separator: ", ") }
}

/// One tool: what `tools/list` shows, and what a call runs.
struct ToolDefinition: Sendable {
    let tool: Tool
    /// It answers without a key too (a public read, or an anonymous post).
    let anonymous: Bool
    let run: @Sendable (ToolCall) async throws -> any Encodable

    init(name: String, title: String, description: String, input: Value, readOnly: Bool = false, idempotent: Bool = false,
         destructive: Bool = false, openWorld: Bool = false, anonymous: Bool = false,
         run: @escaping @Sendable (ToolCall) async throws -> any Encodable) {
        let hints = Tool.Annotations(title: title, readOnlyHint: readOnly, destructiveHint: readOnly ? nil : destructive,
                                     idempotentHint: readOnly ? nil : idempotent, openWorldHint: openWorld)
        tool = Tool(name: name, title: title, description: anonymous ? description + " No API key needed." : description,
                    inputSchema: input, annotations: hints)
        self.anonymous = anonymous
        self.run = run
    }
}

/// What a tool's handler gets: the services, its checked arguments, the caller.
struct ToolCall: Sendable {
    let tools: MarketplaceTools
    let arguments: ToolArguments
    let visitor: ToolCaller

    init(tools: MarketplaceTools, arguments: ToolArguments, caller: ToolCaller) {
        self.tools = tools
        self.arguments = arguments
        visitor = caller
    }

    /// The key's principal, which every tool not marked `anonymous` runs as (`call` refuses
    /// those tools without a key before they run).
    var caller: Principal {
        get throws(MarketplaceError) {
            guard let principal = visitor.principal else { throw .unauthorized("this tool needs an API key") }
            return principal
        }
    }
}
