import Foundation
import LedgerCore
import NIOHTTP1

/// The end of a stress run, with the server up: answered keys replay their bytes, and each
/// agent's and worker's wallet holds what the client's own books say. Then, with the server
/// stopped, the ledger is recomputed from its journal.
struct StressChecks {
    let api: APIClient
    let people: StressPeople
    let tallies: [StressTally]
    let replaysPerClient: Int

    func run() async throws -> (replays: Int, violations: [String]) {
        var violations: [String] = []
        var replays = 0
        for tally in tallies {
            for sent in Self.replaySample(tally.acknowledged, count: replaysPerClient) {
                replays += 1
                let body = sent.body
                let again = try await api.send(HTTPMethod(rawValue: sent.method), sent.path, token: sent.token, body: body,
                                               headers: [("Idempotency-Key", sent.key)])
                if again.status != sent.status || again.headers.first(name: "Idempotent-Replayed") != "true" || again.text != sent.answer {
                    violations.append("\(sent.step) with key \(sent.key) (answered after \(sent.epoch) kills) sent again answered \(again.status), "
                        + "replayed \(again.headers.first(name: "Idempotent-Replayed") ?? "no"): \(again.text); first answer: \(sent.answer)")
                }
            }
            let pair = people.pairs[tally.client]
            let agentMinor = try await available(pair.agentKeys[0])
            if agentMinor != tally.depositedMinor - tally.escrowedMinor {
                violations.append("client \(tally.client)'s agent holds \(agentMinor) cents; deposits \(tally.depositedMinor) less escrow "
                    + "\(tally.escrowedMinor) say \(tally.depositedMinor - tally.escrowedMinor)")
            }
            let posted = try await taskCount(pair.agentKeys[0])
            if posted != tally.tasks {
                violations.append("client \(tally.client)'s agent owns \(posted) tasks; it was answered for \(tally.tasks) posts")
            }
            let workerMinor = try await available(pair.workerKeys[0])
            if workerMinor != tally.paidMinor {
                violations.append("client \(tally.client)'s worker holds \(workerMinor) cents; approvals paid \(tally.paidMinor)")
            }
        }
        return (replays, violations)
    }

    /// The last answers before each kill (where a lost commit would show) and after the last.
    static func replaySample(_ acknowledged: [Acknowledged], count: Int) -> [Acknowledged] {
        let epochs = Dictionary(grouping: acknowledged, by: \.epoch).sorted { $0.key < $1.key }
        guard !epochs.isEmpty else { return [] }
        let perEpoch = max(1, count / epochs.count)
        return Array(epochs.flatMap { $0.value.suffix(perEpoch) }.suffix(count))
    }

    /// The tasks the agent owns, page by page: a post run twice (its answer lost in a crash,
    /// its key absent) would show here.
    func taskCount(_ token: String) async throws -> Int {
        struct Page: Decodable {
            struct Task: Decodable { let id: String }
            let tasks: [Task]
            let hasMore: Bool
            let nextCursor: String?
        }
        var count = 0
        var cursor: String?
        repeat {
            let page: Page = try await api.call("list the agent's tasks", .GET, "/v1/tasks?mine=true&limit=100" + (cursor.map { "&cursor=\($0)" } ?? ""),
                                                token: token)
            count += page.tasks.count
            cursor = page.hasMore ? page.nextCursor : nil
        } while cursor != nil
        return count
    }

    func available(_ token: String) async throws -> Int64 {
        let wallets: [APIAnswers.Wallet] = try await api.call("read a wallet", .GET, "/v1/wallet", token: token)
        return wallets.first { $0.asset == "USD" }?.available.amountMinor ?? 0
    }

    /// `ledger verify` on the stopped server's file, and the test clearing account's debits
    /// against every deposit the clients were answered for.
    static func verifyLedger(db: String, tallies: [StressTally]) throws -> (line: String, violations: [String]) {
        let ledger = try Ledger(readingOnly: db)
        defer { ledger.close() }
        let report = try ledger.verify()
        var violations = report.fault.map { ["ledger verify: \($0)"] } ?? []
        let deposited = tallies.reduce(Int64(0)) { $0 + $1.depositedMinor }
        let clearing = try ledger.account(code: "clearing:test:USD")
        let net = (clearing?.balance.debitsPosted ?? 0) - (clearing?.balance.creditsPosted ?? 0)
        if net != deposited { violations.append("clearing:test:USD has \(net) cents of deposits; the clients were answered for \(deposited)") }
        let line = "transfers \(report.transfersChecked), accounts \(report.accountsChecked), commits \(report.commitsChecked): "
            + (report.isClean ? "clean" : "FAULT")
        return (line, violations)
    }
}
