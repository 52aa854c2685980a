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

    /// Funding, whatever the source: the same pipeline REST calls.
    var funding: FundingPipeline { FundingPipeline(settlement: settlement, work: work) }
    /// Services and their orders, over the same services.
    var catalog: ServiceCatalog { ServiceCatalog(tasks: tasks, settlement: settlement, work: work) }

    public init(tasks: TaskService, settlement: SettlementService, work: WorkService, messages: MessageService, platform: PlatformFacts,
                logger: Logger = Logger(label: "marketplace.mcp")) {
        self.tasks = tasks
        self.settlement = settlement
        self.work = work
        self.messages = messages
        self.platform = platform
        self.logger = logger
    }

    /// Every tool, in the order `tools/list` shows them.
    static let definitions: [ToolDefinition] = TaskTools.definitions + FundingTools.definitions + WorkTools.definitions
        + MessageTools.definitions + WalletTools.definitions + ServiceTools.definitions + PlatformTools.definitions

    private static let byName = Dictionary(uniqueKeysWithValues: definitions.map { ($0.tool.name, $0) })

    /// The tools as `tools/list` answers: name, description, input schema, hints.
    public var tools: [Tool] { Self.definitions.map(\.tool) }

    /// Runs one tool for `caller`. A refusal comes back as a tool error carrying REST's code
    /// and field; an unknown tool name is a protocol error (invalid params).
    public func call(_ name: String, arguments: [String: Value]?, by caller: Principal) async throws -> CallTool.Result {
        guard let definition = Self.byName[name] else {
            throw MCPError.invalidParams("unknown tool '\(name)'; tools/list names the \(Self.definitions.count) tools")
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

/// One tool: what `tools/list` shows, and what a call runs.
struct ToolDefinition: Sendable {
    let tool: Tool
    let run: @Sendable (ToolCall) async throws -> any Encodable

    init(name: String, title: String, description: String, input: Value, readOnly: Bool = false, idempotent: Bool = false,
         destructive: Bool = false, openWorld: Bool = false, run: @escaping @Sendable (ToolCall) async throws -> any Encodable) {
        let hints = Tool.Annotations(title: title, readOnlyHint: readOnly, destructiveHint: readOnly ? nil : destructive,
                                     idempotentHint: readOnly ? nil : idempotent, openWorldHint: openWorld)
        tool = Tool(name: name, title: title, description: description, inputSchema: input, annotations: hints)
        self.run = run
    }
}

/// What a tool's handler gets: the services, its checked arguments, the caller.
struct ToolCall: Sendable {
    let tools: MarketplaceTools
    let arguments: ToolArguments
    let caller: Principal
}
