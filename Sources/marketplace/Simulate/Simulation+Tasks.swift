import LedgerCore
import Marketplace
import NIOHTTP1
import StripeFake

/// What a task's run learned on the way: its id, the escrow the API named when it was funded,
/// and a dispute's split as the admin's resolution answered it.
struct TaskRecord: Sendable {
    let plan: TaskPlan
    let id: String
    let escrowMinor: Int64
    var dispute: APIAnswers.Dispute.Split?
    /// What the milestones approved before a cancel released, as their answers said.
    var released: APIAnswers.MilestonePart?
}

/// One task's life through the API, as its plan says. Each step is what the agent, the worker
/// or the admin would send; Stripe's and the chain's parts happen at the fakes.
extension Simulation {
    func live(_ task: TaskPlan, _ people: Participants) async throws -> TaskRecord {
        let agent = people.agents[task.agent]
        let worker = task.worker.map { people.workers[$0] }
        let id: String
        var escrowAtPosting: Int64? = nil
        if task.serviceOrder, let worker { id = try await order(task, from: worker, by: agent) } else { (id, escrowAtPosting) = try await post(task, by: agent) }
        // An order is assigned to its provider from the start: nobody applies.
        let hiring = task.serviceOrder ? nil : worker
        let escrowMinor = if let escrowAtPosting { escrowAtPosting } else { try await fund(task, id: id, by: agent) }
        var record = TaskRecord(plan: task, id: id, escrowMinor: escrowMinor)
        switch task.outcome {
        case .expire:
            return record  // it ends when the clock moves; `expireOverdue` counts it then
        case .cancel, .refundFails:
            if task.cancelAfterHiring, let worker = hiring { try await hire(worker, for: id, by: agent) }
            if !task.milestonesMinor.isEmpty { record.released = try await approveMilestone("m1", of: id, by: agent) }
            try await send("cancel \(id)", .POST, "/v1/tasks/\(id)/cancel", token: agent.key)
        case .approve where !task.milestonesMinor.isEmpty:
            if let hiring { try await hire(hiring, for: id, by: agent) }
            for index in task.milestonesMinor.indices { _ = try await approveMilestone("m\(index + 1)", of: id, by: agent) }
        case .approve, .revision, .payoutFails:
            if let worker {
                if let hiring { try await hire(hiring, for: id, by: agent) }
                if !task.completedWithoutSubmission { try await submit(id, by: worker) }
            }  // else the mock operator was accepted and submitted when the funding committed
            if task.outcome == .revision {
                struct Revision: Encodable { let feedback: String }
                try await send("ask for a revision of \(id)", .POST, "/v1/tasks/\(id)/request-revision", token: agent.key,
                               payload: Revision(feedback: "Please add the second photo."))
                if let worker { try await submit(id, by: worker) }
            }
            try await send("approve \(id)", .POST, "/v1/tasks/\(id)/approve", token: agent.key)
        case .dispute:
            if let worker {
                if let hiring { try await hire(hiring, for: id, by: agent) }
                try await submit(id, by: worker)
            }
            record.dispute = try await dispute(record, by: agent, admin: people.admin)
        }
        _ = try await settleCalls(of: id, asset: task.asset, by: agent, refundSucceeds: task.outcome != .refundFails)
        progress.advance()
        return record
    }

    /// Posts the task; one funded at posting answers its escrow too, checked against the pricing.
    func post(_ task: TaskPlan, by agent: AgentSession) async throws -> (id: String, escrowMinor: Int64?) {
        struct Budget: Encodable {
            let amount: String
            let currency: String
        }
        struct Fund: Encodable { let source: String }
        struct NewTask: Encodable {
            let title: String
            let description: String
            let category: String
            let budget: Budget
            let feePaidBy: String
            let deadline: String?
            let mockOperator: Bool
            let fund: Fund?
            let milestones: [Milestone]?
        }
        struct Milestone: Encodable {
            let title: String
            let amount: String
        }
        struct Posted: Decodable {
            let id: String
            let funding: APIAnswers.Funding?
        }
        let deadline = task.outcome == .expire ? Timestamps.format(world.clock.now + Self.deadlineSeconds * 1_000_000) : nil
        let fund = task.fundedAtPosting ? Fund(source: task.funding == .testConnector ? "connector" : "wallet") : nil
        let posted: Posted = try await world.api.call(
            "post task \(task.index)", .POST, "/v1/tasks", token: agent.key,
            payload: NewTask(title: task.title, description: "Check the address and send one photo of the door.", category: "verification",
                             budget: Budget(amount: MinorUnits.format(task.budgetMinor, scale: task.asset.scale), currency: task.asset.code),
                             feePaidBy: task.feePaidBy.rawValue, deadline: deadline, mockOperator: task.mockOperator, fund: fund,
                             milestones: task.milestonesMinor.isEmpty ? nil : task.milestonesMinor.enumerated().map { index, amount in
                                 Milestone(title: "Part \(index + 1)", amount: MinorUnits.format(amount, scale: task.asset.scale))
                             }),
            expect: [201])
        guard task.fundedAtPosting else { return (posted.id, nil) }
        guard let funding = posted.funding, funding.escrow.amountMinor == task.split.escrowMinor, funding.fee.amountMinor == task.split.feeMinor else {
            throw SimulationError.mismatch("task \(task.index) funded at posting answered \(String(describing: posted.funding)); the pricing says escrow \(task.split.escrowMinor)")
        }
        return (posted.id, funding.escrow.amountMinor)
    }

    /// Approves one milestone and answers the part it released, checking it was released.
    func approveMilestone(_ milestone: String, of id: String, by agent: AgentSession) async throws -> APIAnswers.MilestonePart {
        let answer: APIAnswers.MilestoneAnswer = try await world.api.call("approve milestone \(milestone) of \(id)", .POST,
                                                                          "/v1/tasks/\(id)/milestones/\(milestone)/approve", token: agent.key)
        guard answer.milestone.status == "released", let part = answer.milestone.part else {
            throw SimulationError.mismatch("\(id)'s milestone \(milestone) is \(answer.milestone.status) after its approval")
        }
        return part
    }

    /// The worker applies and the agent accepts them.
    func hire(_ worker: WorkerSession, for id: String, by agent: AgentSession) async throws {
        struct Apply: Encodable { let message: String }
        let application: APIAnswers.Identified = try await world.api.call("apply to \(id)", .POST, "/v1/tasks/\(id)/applications", token: worker.key,
                                                                          payload: Apply(message: "I am nearby and can go today."), expect: [201])
        try await send("accept the application to \(id)", .POST, "/v1/tasks/\(id)/applications/\(application.id)/accept", token: agent.key)
    }

    func submit(_ id: String, by worker: WorkerSession) async throws {
        struct Item: Encodable {
            let kind: String
            let value: String
        }
        struct Submission: Encodable { let deliverables: [Item] }
        try await send("submit work on \(id)", .POST, "/v1/tasks/\(id)/submissions", token: worker.key,
                       payload: Submission(deliverables: [Item(kind: "text", value: "Done: the door is green, photo attached.")]), expect: [201])
    }

    /// The agent opens a dispute and the admin splits the escrow as planned; answers the split.
    func dispute(_ record: TaskRecord, by agent: AgentSession, admin: String) async throws -> APIAnswers.Dispute.Split {
        struct Opening: Encodable { let reason: String }
        struct Resolution: Encodable {
            let toWorker: String
            let resolution: String
        }
        let opened: APIAnswers.Identified = try await world.api.call("dispute \(record.id)", .POST, "/v1/tasks/\(record.id)/disputes", token: agent.key,
                                                                     payload: Opening(reason: "Only half of the work was done."), expect: [201])
        let toWorker = MinorUnits.format(record.plan.disputeToWorkerMinor, scale: record.plan.asset.scale)
        let resolved: APIAnswers.Dispute = try await world.api.call("resolve the dispute on \(record.id)", .POST, "/v1/admin/disputes/\(opened.id)/resolve",
                                                                    token: admin, payload: Resolution(toWorker: toWorker, resolution: "Split as agreed."))
        guard let split = resolved.split else { throw SimulationError.mismatch("the resolved dispute on \(record.id) names no split") }
        return split
    }

    /// A request whose answer the run does not need.
    func send(_ step: String, _ method: HTTPMethod, _ path: String, token: String, expect: Set<Int> = [200]) async throws {
        let _: APIClient.Ignored = try await world.api.call(step, method, path, token: token, expect: expect)
    }

    func send(_ step: String, _ method: HTTPMethod, _ path: String, token: String, payload: some Encodable, expect: Set<Int> = [200]) async throws {
        let _: APIClient.Ignored = try await world.api.call(step, method, path, token: token, payload: payload, expect: expect)
    }

    func payments(of id: String, by agent: AgentSession) async throws -> [APIAnswers.Payment] {
        try await world.api.call("read \(id)'s payments", .GET, "/v1/tasks/\(id)/payments", token: agent.key)
    }

    /// Brings the task's connector calls to an end and answers them: Stripe settles (or fails)
    /// each refund at the fake and its events are delivered; calls on chain wait for rounds.
    func settleCalls(of id: String, asset: Asset, by agent: AgentSession, refundSucceeds: Bool) async throws -> [APIAnswers.Payment] {
        for _ in 0..<Self.settleAttemptsMax {
            let calls = try await payments(of: id, by: agent)
            let open = calls.filter(\.isOpen)
            guard !open.isEmpty else { return calls }
            let refunds = open.filter { $0.kind == "refund" }.compactMap(\.reference)
            for refund in refunds {
                for event in try world.stripe.fake.settleRefund(refund, succeeded: refundSucceeds) { try await world.stripe.deliver(event) }
            }
            if refunds.isEmpty {
                guard asset == .usdc else { throw SimulationError.stalled("\(id)'s \(open.map(\.kind)) never got an answer") }
                await world.chain.settle()
            }
        }
        throw SimulationError.stalled("\(id)'s connector calls after \(Self.settleAttemptsMax) attempts")
    }
}
