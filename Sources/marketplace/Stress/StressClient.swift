import Foundation
import LedgerCore
import NIOHTTP1

/// One client of a stress run: an agent and a worker living tasks through the API, every
/// write with an Idempotency-Key. When the server dies under a request, the client waits for
/// it to come back and sends the same request with the same key, as a careful client does.
struct StressClient {
    let index: Int
    let pair: StressPeople.Pair
    let api: APIClient
    let control: StressControl
    var random: SeededGenerator
    var tally = StressTally()
    private var keys = 0

    /// How long a client waits for the server to answer again after it died.
    static let downSecondsMax = 90.0

    init(index: Int, pair: StressPeople.Pair, api: APIClient, control: StressControl, seed: UInt64) {
        self.index = index
        self.pair = pair
        self.api = api
        self.control = control
        random = SeededGenerator(seed: seed &+ UInt64(index) &* 0x9E37_79B9)
    }

    mutating func run() async throws -> StressTally {
        tally.client = index
        while !control.finishing {
            do { try await liveOneTask() } catch let error as Violation {
                tally.violations.append(error.message)
                if tally.violations.count > 5 { break }  // one is enough to fail; a few show the pattern
            }
        }
        return tally
    }

    struct Violation: Error {
        let message: String
    }

    /// Deposit, post, fund; then cancel (before or after hiring) or hire, submit and approve.
    mutating func liveOneTask() async throws {
        let agent = pair.agentKeys[tally.tasks % pair.agentKeys.count], worker = pair.workerKeys[tally.tasks % pair.workerKeys.count]
        let depositMinor = 5_000 + Int64(random.below(5_000))
        _ = try await keyed("deposit", .POST, "/v1/wallet/deposits", token: agent,
                            json: #"{"amount":"\#(MinorUnits.format(depositMinor, scale: 2))","currency":"USD"}"#, expect: 201)
        tally.depositedMinor += depositMinor
        let budget = MinorUnits.format(1_000 + Int64(random.below(2_000)), scale: 2)
        let task: APIAnswers.Task = try decode(try await keyed("post a task", .POST, "/v1/tasks", token: agent, json: """
            {"title":"Photograph the door","description":"One photo of the front door, in daylight.","category":"verification",\
            "budget":{"amount":"\(budget)","currency":"USD"}}
            """, expect: 201))
        tally.tasks += 1
        let funding: APIAnswers.Funding = try decode(try await keyed("fund \(task.id)", .POST, "/v1/tasks/\(task.id)/fund", token: agent,
                                                                     json: #"{"source":"wallet"}"#, expect: 200))
        tally.escrowedMinor += funding.escrow.amountMinor
        let draw = random.below(100)
        if draw < 20 { return try await cancel(task.id, escrowMinor: funding.escrow.amountMinor, by: agent) }
        let application: APIAnswers.Identified = try decode(try await keyed("apply to \(task.id)", .POST, "/v1/tasks/\(task.id)/applications",
                                                                            token: worker, json: #"{"message":"I can go today."}"#, expect: 201))
        _ = try await keyed("accept on \(task.id)", .POST, "/v1/tasks/\(task.id)/applications/\(application.id)/accept", token: agent,
                            json: nil, expect: 200)
        if draw < 30 { return try await cancel(task.id, escrowMinor: funding.escrow.amountMinor, by: agent) }
        _ = try await keyed("submit \(task.id)", .POST, "/v1/tasks/\(task.id)/submissions", token: worker,
                            json: #"{"deliverables":[{"kind":"text","value":"Done, photo attached."}]}"#, expect: 201)
        _ = try await keyed("approve \(task.id)", .POST, "/v1/tasks/\(task.id)/approve", token: agent, json: nil, expect: 200)
        tally.approved += 1
        tally.paidMinor += funding.escrow.amountMinor - funding.fee.amountMinor
    }

    private mutating func cancel(_ id: String, escrowMinor: Int64, by agent: String) async throws {
        _ = try await keyed("cancel \(id)", .POST, "/v1/tasks/\(id)/cancel", token: agent, json: nil, expect: 200)
        tally.cancelled += 1
        tally.escrowedMinor -= escrowMinor
    }

    /// Sends until answered: the same key and body again after the server died, after a 429's
    /// Retry-After. Any answer but `expect` (a 409 "in progress" after a restart above all)
    /// is a violation.
    mutating func keyed(_ step: String, _ method: HTTPMethod, _ path: String, token: String, json: String?, expect: Int) async throws -> APIClient.Response {
        keys += 1
        let key = "stress-\(index)-\(keys)"
        let body = json.map { Array($0.utf8) }
        var diedUnder = false
        while true {
            let response: APIClient.Response
            do {
                response = try await api.send(method, path, token: token, body: body, headers: [("Idempotency-Key", key)])
            } catch {
                diedUnder = true
                try await waitForServer(step)
                continue
            }
            if response.status == 429 {
                tally.rateLimitedWaits += 1
                try await Task.sleep(for: .seconds(Int(response.headers.first(name: "Retry-After") ?? "") ?? 1))
                continue
            }
            guard response.status == expect else {
                throw Violation(message: "\(step) with key \(key)\(diedUnder ? " (sent again after a kill)" : "") answered \(response.status): \(response.text)")
            }
            if diedUnder {
                tally.retried += 1
                if response.headers.first(name: "Idempotent-Replayed") == "true" { tally.retriedReplayed += 1 } else { tally.retriedRan += 1 }
            }
            tally.acknowledged.append(Acknowledged(step: step, method: method.rawValue, path: path, token: token, key: key, body: body,
                                                   status: response.status, answer: response.text, epoch: control.kills))
            return response
        }
    }

    func waitForServer(_ step: String) async throws {
        let deadline = ContinuousClock.now + .seconds(Self.downSecondsMax)
        while ContinuousClock.now < deadline {
            if await StressServer.healthy(api.baseURL, http: api.http) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw StressError.unreachable(step: step, seconds: Self.downSecondsMax)
    }

    func decode<Answer: Decodable>(_ response: APIClient.Response) throws -> Answer {
        try APIClient.data(of: response, step: "read", expect: [response.status])
    }
}
