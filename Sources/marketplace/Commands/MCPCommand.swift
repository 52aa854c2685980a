import ArgumentParser
import Foundation
import LedgerCore
import Logging
import Marketplace
import MarketplaceMCP

/// `marketplace mcp`: the MCP tools over stdio for one agent, the one whose API key is in
/// MARKETPLACE_API_KEY; its mode (sk_test_/sk_live_) decides which data the tools see. Like
/// `serve` it owns the database file: it installs the chart of accounts, finishes recorded
/// operations, expires overdue tasks and follows the chain when configured. Standard output
/// carries only MCP messages; logs go to standard error.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the MCP tools over stdio for the API key in MARKETPLACE_API_KEY (without one, the public tools only).",
        discussion: """
            Connect an MCP client by launching this command. Card payments and USDC on Base read the same \
            environment as `serve`. Do not run it on a database file a `serve` process is using: each \
            process keeps the ledger's balances in memory; agents of a running server use POST /v1/mcp.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Without MARKETPLACE_API_KEY: the mode (test or live) whose published tasks the public tools read and where an anonymous create_task posts.")
    var mode: String = "test"

    @Option(name: [.customLong("dialect"), .customLong("tools")],
            help: "The tools to serve: marketplace (this API's own), humanops (seed 003's post_task, check_status, list_tasks, cancel_task) gohirehumans (seed 000's search_services, browse_jobs, create_job, …), requesthuman (seed 002's twelve: the marketplace's own names) or humans2ai (seed 004's endpoint: the marketplace's tools).")
    var tools: String = ToolSet.marketplace.rawValue

    static let keyVariable = "MARKETPLACE_API_KEY"

    /// The API key from the environment, refused unless it is one (an sk_test_ or sk_live_ key);
    /// nil when none is set (the public tools only).
    static func apiKey() throws -> String? {
        guard let key = ProcessInfo.processInfo.environment[keyVariable], !key.isEmpty else { return nil }
        guard key.hasPrefix(APIKey.testPrefix) || key.hasPrefix(APIKey.livePrefix) else {
            throw ValidationError("\(keyVariable) must be an API key (sk_test_… or sk_live_…)")
        }
        return key
    }

    func run() async throws {
        let key = try Self.apiKey()
        guard let anonymousMode = Mode(rawValue: mode) else { throw ValidationError("--mode must be test or live") }
        guard let toolSet = ToolSet(rawValue: tools) else {
            throw ValidationError("--dialect must be one of \(ToolSet.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var logger = Logger(label: "marketplace.mcp")
        logger.logLevel = .notice
        try database.prepareDirectory()
        let ledger = try Ledger(path: database.db, logger: logger)
        defer { ledger.close() }
        _ = try await ChartOfAccounts.standard.install(in: ledger)
        let store = try MarketplaceStore(ledger: ledger)
        defer { store.close() }
        // API keys sign nothing; the issuer is there because the service needs one.
        let auth = AuthService(store: store, tokens: try await TokenIssuer(secret: TokenIssuer.randomSecret()))
        var caller = ToolCaller.anonymous(mode: anonymousMode, clientAddress: "stdio")
        do { if let key { caller = .principal(try await auth.authenticate(bearer: key)) } } catch {
            FileHandle.standardError.write(Data("marketplace mcp: \(Self.keyVariable) was refused: \(error)\n".utf8))
            throw ExitCode.failure
        }
        var configured = SettlementService(ledger: ledger, store: store, pricing: try Serve.pricing())
        configured.card = try Serve.cardPayments(host: "127.0.0.1", port: 8080, logger: logger)
        configured.chain = try Serve.chainPayments(logger: logger)
        let settlement = configured
        try await settlement.startChain()
        _ = try await settlement.resumePendingOperations()
        await settlement.sendPendingCalls()
        let tools = MarketplaceTools(tasks: TaskService(store: store, riskGate: Serve.riskGate()), settlement: settlement,
                                     work: WorkService(store: store, settlement: settlement), messages: MessageService(store: store),
                                     platform: PlatformFacts(mode: caller.mode.rawValue, rateLimitsPerMinute: [:]), logger: logger,
                                     toolSet: toolSet)
        let idempotency = IdempotencyStore(store: store)
        // Every call authenticates the key again, as every REST request does: revoking it stops the tools.
        let anonymous = caller
        let authenticate: @Sendable () async throws(MarketplaceError) -> ToolCaller = { () throws(MarketplaceError) -> ToolCaller in
            guard let key else { return anonymous }
            return .principal(try await auth.authenticate(bearer: key))
        }
        let backgroundLogger = logger
        // Events from these tools go out from here too, not only from the next `serve`.
        let webhooks = WebhookService(store: store, secretsKey: try Serve.secretsKey(database: database.db), policy: try Serve.webhookPolicy())
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await MarketplaceMCPServer.serveStdio(tools: tools, visitor: authenticate) }
            group.addTask { try await Serve.sweepExpiredTasks(settlement, idempotency: idempotency, logger: backgroundLogger) }
            if settlement.chain != nil { group.addTask { try await Serve.followChain(settlement, logger: backgroundLogger) } }
            group.addTask { try await Serve.deliverWebhooks(webhooks, logger: backgroundLogger) }
            // The client closing its end of stdin ends the session, and with it the background work.
            try await group.next()
            group.cancelAll()
        }
    }
}
