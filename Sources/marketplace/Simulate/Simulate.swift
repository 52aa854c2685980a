import ArgumentParser
import Foundation
import Logging
import Marketplace
import MarketplaceHTTP
import MarketplaceViews

/// `marketplace simulate`: a test-mode settlement run. Agents and workers sign up and live out
/// tasks through the real REST API, served in this process on a loopback port; card payments go
/// through the real Stripe connector to a fake Stripe, USDC through the real Base connector to a
/// fake Base node; the clock, the chain's blocks and Stripe's webhooks move when the run says.
/// Every choice is drawn from the seed up front, so the money figures repeat exactly. Prints a
/// settlement summary, then the ledger's verification; exits 1 when either finds a fault.
struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a test-mode settlement simulation through the API against fake Stripe and Base.")

    @Option(help: "Agents posting and funding tasks (workers: a quarter as many, at least 10).") var agents: Int = 20
    @Option(help: "Tasks to run.") var tasks: Int = 200
    @Option(help: "Seed of every random choice.") var seed: UInt64 = 1
    @Option(help: "Tasks running at once.") var concurrency: Int = 16
    @Option(help: "A new SQLite file to keep (default: a temporary file, deleted afterwards).") var db: String?
    @Flag(help: "Print the summary as JSON (wall time and throughput under \"timing\").") var json = false
    @Flag(help: "No progress on standard error.") var quiet = false

    static let agentsMax = 10_000
    static let tasksMax = 1_000_000
    static let concurrencyMax = 256

    func validate() throws {
        guard (1...Self.agentsMax).contains(agents) else { throw ValidationError("--agents must be 1 to \(Self.agentsMax)") }
        guard (1...Self.tasksMax).contains(tasks) else { throw ValidationError("--tasks must be 1 to \(Self.tasksMax)") }
        guard (1...Self.concurrencyMax).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to \(Self.concurrencyMax)") }
        if let db, FileManager.default.fileExists(atPath: db) {
            throw ValidationError("\(db) exists; a simulation needs a new database (its checks count every account in it)")
        }
    }

    func run() async throws {
        // Standard output is the summary's; the servers' and services' notices stay out of it.
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let path = db ?? FileManager.default.temporaryDirectory.appendingPathComponent("marketplace-simulate-\(UUID().uuidString).sqlite").path
        defer { if db == nil { Self.remove(database: path) } }
        let pricing = Pricing.standard
        let plan = try SimulationPlan.draw(agents: agents, tasks: tasks, seed: seed, pricing: pricing)
        let progress = Progress(total: tasks, quiet: quiet)
        let concurrency = concurrency
        let report = try await SimulationWorld.run(path: path, pricing: pricing, hotWalletKey: plan.hotWalletKey, connections: concurrency * 2) { world in
            try await Simulation(plan: plan, world: world, concurrency: concurrency, progress: progress).run()
        }
        progress.finish()
        let reconciliation = ReconcileCommand.describe(report.finance.reconciliation)
        if json {
            print(try JSONOutput.encode(report.summary))
            FileHandle.standardError.write(Data((reconciliation + "\n").utf8))
        } else {
            print(report.summary.text)
            print(reconciliation)
            print(report.summary.timingText)
        }
        guard report.finance.isClean, report.summary.isClean else { throw ExitCode(1) }
    }

    /// The database and its WAL and shared-memory files.
    static func remove(database path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
