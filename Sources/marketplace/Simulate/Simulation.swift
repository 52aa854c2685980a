import LedgerCore
import Marketplace
import MarketplaceHTTP

/// A test-mode settlement run through the REST API (see `Simulate`): the participants sign up
/// and the money they need is put in place; every task lives out its drawn plan, at most
/// `concurrency` at once; the clock moves so the expiring ones expire; then each task's money
/// is read back through the API, tallied, and checked against the ledger.
struct Simulation: Sendable {
    let plan: SimulationPlan
    let world: SimulationWorld
    let concurrency: Int
    let progress: Progress

    /// How often a task asks for a chain round or re-reads a Stripe refund before the run calls
    /// it stalled; one or two are the norm.
    static let settleAttemptsMax = 50
    /// An expiring task's deadline after its posting; the clocks then move past it.
    static let deadlineSeconds: Int64 = 3_600

    struct Report: Sendable {
        var summary: SettlementSummary
        let finance: FinanceCheck
    }

    func run() async throws -> Report {
        let started = ContinuousClock.now
        let people = try await signUp()
        try await putMoneyInPlace(for: people.agents)
        let records = try await concurrently(plan.tasks) { task in try await live(task, people) }
        try await expireOverdue(records, people)
        _ = try await world.stripe.deliverLate()
        let results = try await concurrently(records) { record in try await tally(record, by: people.agents[record.plan.agent]) }
        let finance = try await checkFinance(world)
        var summary = try SettlementSummary(plan: plan, results: results, ledger: world.ledger, verify: finance.verify)
        summary.timing = .init(elapsed: ContinuousClock.now - started, tasksSettled: summary.tasksSettled)
        return Report(summary: summary, finance: finance)
    }

    /// Moves both clocks past the expiring tasks' deadlines and runs the server's expiry sweep
    /// (what `serve`'s sweeper does every 30 s) until nothing is overdue; their card refunds
    /// then settle.
    func expireOverdue(_ records: [TaskRecord], _ people: Participants) async throws {
        let expiring = records.filter { $0.plan.outcome == .expire }
        world.advance(seconds: Self.deadlineSeconds + 60)
        var expired = 0
        for _ in 0...(records.count / SettlementService.expiriesPerSweepMax + 1) {
            let batch = try await world.services.settlement.expireOverdueTasks()
            if batch.isEmpty { break }
            expired += batch.count
        }
        guard expired == expiring.count else { throw SimulationError.mismatch("\(expired) tasks expired; \(expiring.count) were meant to") }
        _ = try await concurrently(expiring) { record in
            _ = try await settleCalls(of: record.id, asset: record.plan.asset, by: people.agents[record.plan.agent], refundSucceeds: true)
            progress.advance()
        }
    }

    /// Runs `body` for every item, at most `concurrency` at once; answers in the items' order.
    func concurrently<Item: Sendable, Answer: Sendable>(_ items: [Item], _ body: @escaping @Sendable (Item) async throws -> Answer) async throws -> [Answer] {
        try await withThrowingTaskGroup(of: (Int, Answer).self) { group in
            var answers = [Answer?](repeating: nil, count: items.count)
            var next = 0
            while next < min(concurrency, items.count) {
                let index = next
                group.addTask { (index, try await body(items[index])) }
                next += 1
            }
            while let (index, answer) = try await group.next() {
                answers[index] = answer
                guard next < items.count else { continue }
                let following = next
                group.addTask { (following, try await body(items[following])) }
                next += 1
            }
            return answers.map { $0! }  // every index answered, or the group threw
        }
    }
}
