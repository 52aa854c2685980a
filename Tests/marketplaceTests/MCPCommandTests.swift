import Foundation
import LedgerCore
import MCP
import Marketplace
// StdioTransport takes swift-system's FileDescriptor; SystemPackage is built as MCP's own dependency.
import SystemPackage
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real binary, both transports: `marketplace mcp` over stdio and `marketplace serve`'s
/// POST /v1/mcp, each driven by the swift-sdk's own `Client` through the same agent-only life
/// (a test-mode mock operator does the work); once the process has stopped, the database is
/// opened and checked to the cent, and verified.
@Suite(.serialized)
struct MCPCommandTests {
    struct Agent {
        let userID: String
        let key: String
    }

    /// A fresh database file with one agent and a test-mode key of theirs.
    static func prepare(_ db: String) async throws -> Agent {
        let ledger = try Ledger(path: db)
        defer { ledger.close() }
        let store = try MarketplaceStore(ledger: ledger)
        defer { store.close() }
        let auth = AuthService(store: store, tokens: try await TokenIssuer(secret: TokenIssuer.randomSecret()), bcryptCost: 4)
        let user = try await auth.register(Registration(email: "agent@example.com", password: "correct horse", fullName: "Agent", role: "agent"))
        let owner = try await auth.authenticate(bearer: try await auth.login(email: "agent@example.com", password: "correct horse", mode: .test).accessToken)
        let scopes = ["tasks:read", "tasks:write", "wallet:read", "wallet:write", "messages:read", "messages:write"]
        let key = try await KeyService(store: store).create(for: owner, name: "mcp", scopes: scopes, mode: "test")
        return Agent(userID: user.id, key: key.secret)
    }

    /// A tool's answer: whether it is an error, and its JSON object.
    static func call(_ client: MCP.Client, _ name: String, _ arguments: [String: Value] = [:]) async throws -> (isError: Bool, json: [String: Any]) {
        let (content, isError) = try await client.callTool(name: name, arguments: arguments)
        guard case .text(let text, _, _)? = content.first else { throw LifecycleError.noText(name) }
        return (isError ?? false, try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:])
    }

    enum LifecycleError: Error { case noText(String) }

    static func string(_ json: [String: Any], _ path: String) -> String? {
        var current: Any? = json
        for key in path.split(separator: ".") { current = (current as? [String: Any])?[String(key)] }
        return current as? String
    }

    /// The task ids of the story: A paid, B cancelled after funding, C funded from the wallet.
    struct Story {
        let paid: String
        let cancelled: String
        let funded: String
    }

    static let budget25: [String: Value] = ["title": "Photograph the storefront", "description": "One daylight photo", "category": "photography",
                                  "budget": ["amount": "25.00", "currency": "USD"], "required_deliverables": ["photo"], "mock_operator": true]

    static func task(_ amount: String) -> [String: Value] {
        ["title": "Check the sign", "description": "Is it lit at night?", "category": "verification", "budget": ["amount": .string(amount), "currency": "USD"]]
    }

    /// post → fund (test connector) → the mock operator applies, is accepted and submits → approve;
    /// a second task: fund from an empty wallet (refused), fund, cancel (refunded to the wallet);
    /// a third funded from that refund.
    static func runStory(_ client: MCP.Client) async throws -> Story {
        let (tools, _) = try await client.listTools()
        #expect(tools.count == 27)
        #expect(string(try await call(client, "get_platform_info").json, "mode") == "test")

        let posted = try await call(client, "create_task", budget25)
        let paid = try #require(string(posted.json, "id"))
        let funding = try await call(client, "fund_task", ["task_id": .string(paid), "source": "connector"])
        #expect(string(funding.json, "status") == "funded")
        #expect(string(funding.json, "funding.escrow.amount") == "27.50")
        #expect(string(try await call(client, "get_task", ["task_id": .string(paid)]).json, "status") == "submitted")
        let applications = try await call(client, "list_applications", ["task_id": .string(paid)])
        #expect((applications.json["applications"] as? [[String: Any]])?.map { $0["status"] as? String } == ["accepted"])
        let submissions = try await call(client, "list_submissions", ["task_id": .string(paid)])
        #expect((submissions.json["submissions"] as? [[String: Any]])?.first?["score"] as? Int == 100)
        let approved = try await call(client, "respond_to_submission", ["task_id": .string(paid), "action": "approve"])
        #expect(string(approved.json, "task.status") == "paid")

        let cancelled = try #require(string(try await call(client, "create_task", task("10.00")).json, "id"))
        let short = try await call(client, "fund_task", ["task_id": .string(cancelled)])
        #expect(short.isError)
        #expect(string(short.json, "error.code") == "INSUFFICIENT_BALANCE")
        #expect(string(try await call(client, "fund_task", ["task_id": .string(cancelled), "source": "connector"]).json, "funding.escrow.amount") == "11.00")
        #expect(string(try await call(client, "cancel_task", ["task_id": .string(cancelled)]).json, "status") == "canceled")

        let funded = try #require(string(try await call(client, "create_task", task("10.00")).json, "id"))
        #expect(string(try await call(client, "fund_task", ["task_id": .string(funded)]).json, "funding.source") == "wallet")
        let wallet = try await call(client, "get_wallet")
        let usd = (wallet.json["wallets"] as? [[String: Any]])?.first { $0["asset"] as? String == "USD" } ?? [:]
        #expect(string(usd, "available.amount") == "0.00")
        #expect(string(usd, "frozen.amount") == "11.00")
        let history = try await call(client, "list_transactions")
        #expect((history.json["transactions"] as? [[String: Any]])?.map { $0["type"] as? String } == ["refund", "funding"])
        return Story(paid: paid, cancelled: cancelled, funded: funded)
    }

    /// The database after the process stopped: every cent where the story put it, and clean.
    static func expectLedger(_ db: String, agent: Agent, story: Story) throws {
        let ledger = try Ledger(path: db)
        defer { ledger.close() }
        let chart = ChartOfAccounts.standard
        func available(_ code: String) throws -> Int64? {
            try ledger.account(code: code).map { $0.balance.available(for: $0.type) }
        }
        #expect(try available(chart.wallet(user: agent.userID, mode: .test, asset: .usd).code) == 0)
        #expect(try available(chart.wallet(user: "usr_mock_operator", mode: .test, asset: .usd).code) == 2_500)
        #expect(try available("revenue:fees:test:USD") == 250)
        #expect(try available(chart.escrow(task: story.paid, mode: .test, asset: .usd).code) == 0)
        #expect(try available(chart.escrow(task: story.cancelled, mode: .test, asset: .usd).code) == 0)
        #expect(try available(chart.escrow(task: story.funded, mode: .test, asset: .usd).code) == 1_100)
        #expect(try available(chart.clearing(connector: "test", mode: .test, asset: .usd)!.code) == 3_850)  // 27.50 + 11.00 in through the test connector
        let report = try ledger.verify()
        #expect(report.isClean, "\(report.fault.map { "\($0)" } ?? "")")
    }

    /// Runs `marketplace mcp` on `db` with `key` (none: the public tools), drives it with the
    /// SDK's client over stdio, then closes its input and expects it to exit cleanly.
    static func withStdioServer(_ db: String, key: String?, arguments: [String] = [], _ body: (MCP.Client) async throws -> Void) async throws {
        let process = Process()
        process.executableURL = CommandRunner.binary
        process.arguments = ["mcp", "--db", db] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["MARKETPLACE_API_KEY": key ?? ""]) { $1 }
        let toServer = Pipe()
        let fromServer = Pipe()
        let log = CommandRunner.temporaryPath("mcp-stdio") + ".log"
        FileManager.default.createFile(atPath: log, contents: nil)
        process.standardInput = toServer
        process.standardOutput = fromServer
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try process.run()
        let transport = StdioTransport(input: .init(rawValue: fromServer.fileHandleForReading.fileDescriptor),
                                       output: .init(rawValue: toServer.fileHandleForWriting.fileDescriptor))
        let client = MCP.Client(name: "marketplace-tests", version: "1.0.0")
        let initialized = try await client.connect(transport: transport)
        #expect(initialized.serverInfo.name == "marketplace")
        try await body(client)
        await client.disconnect()
        try toServer.fileHandleForWriting.close()  // end of input: the server finishes and exits
        for _ in 0..<200 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning, "marketplace mcp did not stop at the end of its input")
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    @Test func theWholeStoryOverStdioThenTheLedger() async throws {
        let db = CommandRunner.temporaryPath("mcp-stdio") + ".sqlite"
        let agent = try await Self.prepare(db)
        var story: Story?
        try await Self.withStdioServer(db, key: agent.key) { client in story = try await Self.runStory(client) }
        try Self.expectLedger(db, agent: agent, story: try #require(story))
    }

    /// Without MARKETPLACE_API_KEY the public tools answer (seed 000's reads, seed 002's
    /// create_task with its task token); the rest are UNAUTHORIZED.
    @Test func withoutAKeyStdioServesThePublicToolsOnly() async throws {
        let db = CommandRunner.temporaryPath("mcp-public") + ".sqlite"
        _ = try await Self.prepare(db)
        try await Self.withStdioServer(db, key: nil) { client in
            let posted = try await Self.call(client, "create_task", Self.budget25)
            #expect(!posted.isError)
            #expect(Self.string(posted.json, "task_token")?.hasPrefix("tt_") == true)
            let taskID = try #require(Self.string(posted.json, "task.id"))
            let listed = try await Self.call(client, "list_tasks")
            #expect((listed.json["tasks"] as? [[String: Any]])?.map { $0["id"] as? String } == [taskID])
            let wallet = try await Self.call(client, "get_wallet")
            #expect(wallet.isError)
            #expect(Self.string(wallet.json, "error.code") == "UNAUTHORIZED")
        }
    }

    /// `--dialect gohirehumans` serves seed 000's seven tools over stdio, and its create_job posts.
    @Test func aDialectsToolsOverStdio() async throws {
        let db = CommandRunner.temporaryPath("mcp-dialect") + ".sqlite"
        let agent = try await Self.prepare(db)
        try await Self.withStdioServer(db, key: agent.key, arguments: ["--dialect", "gohirehumans"]) { client in
            let (tools, _) = try await client.listTools()
            #expect(tools.map(\.name) == ["search_services", "get_service_details", "get_categories", "browse_jobs", "create_job",
                                          "get_pricing_info", "get_platform_info"])
            let job: [String: Value] = ["title": "Summarize ten reviews", "description": "Read ten reviews and write a paragraph.",
                                        "category": "research", "location_type": "remote", "budget_amount": "12.34", "budget_type": "fixed"]
            let posted = try await Self.call(client, "create_job", job)
            #expect(!posted.isError, "\(posted.json)")
            #expect(Self.string(posted.json, "status") == "open")
            #expect("\(posted.json["budget_amount"] ?? "")" == "12.34")
        }
        // Seed 002's twelve tool names are the marketplace's own, over stdio too.
        try await Self.withStdioServer(db, key: agent.key, arguments: ["--dialect", "requesthuman"]) { client in
            let names = Set(try await client.listTools().tools.map(\.name))
            #expect(names.isSuperset(of: ["create_task", "list_tasks", "get_task", "update_task", "fund_task", "cancel_task", "list_applications",
                                          "respond_to_application", "list_submissions", "respond_to_submission", "list_messages", "send_message"]))
        }
        let refused = try CommandRunner.run(["mcp", "--db", db, "--dialect", "requestcat"], environment: ["MARKETPLACE_API_KEY": ""])
        #expect(refused.status != 0)
        #expect(refused.output.contains("--dialect"), "\(refused.output)")
    }

    @Test func theWholeStoryOverHTTPOnServeThenTheLedger() async throws {
        let db = CommandRunner.temporaryPath("mcp-http") + ".sqlite"
        let agent = try await Self.prepare(db)
        let server = try ServeProcess(db: db, port: try CommandRunner.freePort(), environment: [:])
        defer { server.stop() }
        try await server.waitUntilUp()
        let key = agent.key
        // On Linux the SDK's HTTP client reads whole bodies (no SSE); /v1/mcp answers JSON to clients that accept it.
        let transport = HTTPClientTransport(endpoint: URL(string: "\(server.base)/v1/mcp")!, streaming: false, requestModifier: { request in
            var request = request
            request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
            return request
        })
        let client = MCP.Client(name: "marketplace-tests", version: "1.0.0")
        _ = try await client.connect(transport: transport)
        let story = try await Self.runStory(client)
        await client.disconnect()
        server.stop()
        try Self.expectLedger(db, agent: agent, story: story)
    }

    @Test func mcpWithAnUnusableKeyStopsAndSaysWhy() async throws {
        let db = CommandRunner.temporaryPath("mcp-key") + ".sqlite"
        let mode = try CommandRunner.run(["mcp", "--db", db, "--mode", "staging"], environment: ["MARKETPLACE_API_KEY": ""])
        #expect(mode.status != 0)
        #expect(mode.output.contains("--mode must be test or live"))
        let token = try CommandRunner.run(["mcp", "--db", db], environment: ["MARKETPLACE_API_KEY": "eyJhbGciOiJIUzI1NiJ9.e30.x"])
        #expect(token.status != 0)
        #expect(token.output.contains("must be an API key"))
        let unknown = try CommandRunner.run(["mcp", "--db", db], environment: ["MARKETPLACE_API_KEY": "sk_test_0000000000000000000000000000"])
        #expect(unknown.status == 1)
        #expect(unknown.output.contains("MARKETPLACE_API_KEY was refused"))
    }
}
