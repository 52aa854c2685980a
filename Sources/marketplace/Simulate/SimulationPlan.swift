import BaseConnector
import LedgerCore
import Marketplace

/// Every random choice of a run, drawn up front from the seed in one fixed order, so the money
/// that moves does not depend on how the concurrent requests interleave.
struct SimulationPlan: Sendable {
    let seed: UInt64
    let agents: [AgentPlan]
    let workers: [WorkerPlan]
    let tasks: [TaskPlan]
    /// The hot wallet's key on the fake Base node.
    let hotWalletKey: [UInt8]

    /// A quarter as many workers as agents, and at least 10, so a small run still spreads its work.
    static func workerCount(agents: Int) -> Int { max(10, agents / 4) }

    static func draw(agents agentCount: Int, tasks taskCount: Int, seed: UInt64, pricing: Pricing) throws -> SimulationPlan {
        var generator = SeededGenerator(seed: seed)
        let hotWalletKey = try Self.privateKey(&generator)
        var agents: [AgentPlan] = []
        for index in 0..<agentCount {
            let key = try Self.privateKey(&generator)
            agents.append(AgentPlan(index: index, payerKey: key, payer: try Secp256k1.address(of: key)))
        }
        var workers: [WorkerPlan] = []
        for index in 0..<workerCount(agents: agentCount) {
            let linked = generator.chance(75)
            let address = EthereumAddress(bytes: generator.bytes(20))!  // any 20 bytes are an address
            workers.append(WorkerPlan(index: index, payouts: index == WorkerPlan.refusedIndex ? .refused : linked ? .linked : .walletOnly,
                                      baseAddress: address))
        }
        var tasks: [TaskPlan] = []
        for index in 0..<taskCount {
            tasks.append(try TaskPlan.draw(index: index, agents: agentCount, workers: workers.count, pricing: pricing, &generator))
        }
        return SimulationPlan(seed: seed, agents: agents, workers: workers, tasks: tasks, hotWalletKey: hotWalletKey)
    }

    /// 32 random bytes that are a valid secp256k1 key (all but a 2^-128 share of draws are).
    static func privateKey(_ generator: inout SeededGenerator) throws -> [UInt8] {
        while true {
            let candidate = generator.bytes(32)
            if (try? Secp256k1.address(of: candidate)) != nil { return candidate }
        }
    }

    /// What `agent`'s tasks in `asset` funded from `kind` put in escrow, in all: what its
    /// wallet needs deposited first (or its payer address needs minted).
    func escrowMinor(of agent: Int, funding kind: FundingKind, asset: Asset) -> Int64 {
        tasks.filter { $0.agent == agent && $0.funding == kind && $0.asset == asset }.reduce(0) { $0 + $1.split.escrowMinor }
    }
}

/// An agent: it posts and funds tasks with an API key; its payer key signs USDC authorizations
/// and makes its on-chain deposits.
struct AgentPlan: Sendable {
    let index: Int
    let payerKey: [UInt8]
    let payer: EthereumAddress

    var email: String { "agent\(index)@simulate.invalid" }
}

/// A human who does tasks, and where their earnings go.
struct WorkerPlan: Sendable {
    enum Payouts: Sendable {
        /// A Connect account and a Base address: card-funded and USDC earnings are paid out.
        case linked
        /// Nothing linked: earnings stay in the wallet.
        case walletOnly
        /// Linked, but Stripe refuses transfers to the account and USDC has the address
        /// blacklisted: every payout fails and the earnings go back to the wallet.
        case refused
    }

    /// The one worker whose payouts fail; only tasks drawn to fail their payout go to them.
    static let refusedIndex = 0

    let index: Int
    let payouts: Payouts
    let baseAddress: EthereumAddress

    var email: String { "worker\(index)@simulate.invalid" }
    var connectAccount: String { "acct_simworker\(index)" }
}

/// Where a task's money comes from; the connector it is counted under follows from it.
enum FundingKind: Sendable {
    /// From the wallet, after a test deposit.
    case wallet
    /// Straight through the test connector (`"source":"connector"`).
    case testConnector
    /// A Stripe checkout, paid at the fake and told by its signed webhook.
    case card
    /// An x402 payment: an EIP-3009 authorization settled on the fake Base node.
    case authorization
    /// From the wallet, after an on-chain deposit to the hot wallet.
    case chainDeposit

    var connector: SimulatedConnector {
        switch self {
        case .wallet, .testConnector: .test
        case .card: .stripe
        case .authorization, .chainDeposit: .base
        }
    }
}

/// The connectors a summary counts money under.
enum SimulatedConnector: String, Sendable {
    case test, stripe, base
}

/// How a task ends.
enum TaskOutcome: String, Sendable, CaseIterable {
    case approve
    /// Approved after one revision request.
    case revision
    /// Canceled after funding (and, as drawn, after a worker was hired).
    case cancel
    /// Never taken: its deadline passes (the manual clock moves) and the sweep expires it.
    case expire
    /// Disputed after submission and split by an admin: part to the worker, the fee pro rata,
    /// the rest back to the payer.
    case dispute
    /// Card-funded and canceled; Stripe fails the refund, so the escrow stays frozen.
    case refundFails = "refund_failed"
    /// Approved, and the connector payout to the worker fails (a refused Stripe transfer, a
    /// reverted USDC transfer): the earnings go back to the worker's wallet.
    case payoutFails = "payout_failed"

    /// A refund fails only at Stripe; a payout only where one leaves through a connector
    /// (card-funded USD, or any USDC).
    func isPossible(asset: Asset, funding: FundingKind) -> Bool {
        switch self {
        case .refundFails: funding == .card
        case .payoutFails: funding == .card || asset == .usdc
        default: true
        }
    }

    /// How often a drawn task ends this way, against the other outcomes possible for it.
    var weight: Int {
        switch self {
        case .approve: 36
        case .revision, .dispute: 12
        case .cancel: 14
        case .expire, .refundFails, .payoutFails: 8
        }
    }
}

/// A task's asset, funding and outcome.
struct TaskShape: Sendable {
    let asset: Asset
    let funding: FundingKind
    let outcome: TaskOutcome
    let mockOperator: Bool
    /// The task is an order of its worker's service (drawn later for shapes that leave it false).
    var serviceOrder = false

    /// The shapes every run starts with, so that even a small run takes each funding path and
    /// each outcome (with every connector's failure) at least once; later tasks draw theirs.
    static let coverage: [TaskShape] = [
        TaskShape(asset: .usd, funding: .wallet, outcome: .approve, mockOperator: true),
        TaskShape(asset: .usd, funding: .testConnector, outcome: .revision, mockOperator: false),
        TaskShape(asset: .usd, funding: .card, outcome: .approve, mockOperator: false),
        TaskShape(asset: .usd, funding: .card, outcome: .refundFails, mockOperator: false),
        TaskShape(asset: .usd, funding: .card, outcome: .payoutFails, mockOperator: false),
        TaskShape(asset: .usd, funding: .card, outcome: .dispute, mockOperator: false),
        TaskShape(asset: .usd, funding: .card, outcome: .expire, mockOperator: false),
        TaskShape(asset: .usd, funding: .card, outcome: .cancel, mockOperator: false),
        TaskShape(asset: .usdc, funding: .authorization, outcome: .approve, mockOperator: false),
        TaskShape(asset: .usdc, funding: .authorization, outcome: .payoutFails, mockOperator: false),
        TaskShape(asset: .usdc, funding: .chainDeposit, outcome: .dispute, mockOperator: false),
        TaskShape(asset: .usdc, funding: .wallet, outcome: .cancel, mockOperator: false),
        TaskShape(asset: .usdc, funding: .chainDeposit, outcome: .expire, mockOperator: false),
        TaskShape(asset: .usdc, funding: .wallet, outcome: .payoutFails, mockOperator: false),
        TaskShape(asset: .usd, funding: .wallet, outcome: .approve, mockOperator: false, serviceOrder: true),
        TaskShape(asset: .usd, funding: .card, outcome: .cancel, mockOperator: false, serviceOrder: true),
        TaskShape(asset: .usdc, funding: .authorization, outcome: .revision, mockOperator: false, serviceOrder: true),
    ]

    static func draw(_ generator: inout SeededGenerator) -> TaskShape {
        let asset: Asset = generator.chance(50) ? .usd : .usdc
        let funding: FundingKind = asset == .usd
            ? generator.pick([(.wallet, 30), (.testConnector, 15), (.card, 55)])
            : generator.pick([(.wallet, 30), (.authorization, 40), (.chainDeposit, 30)])
        let outcome = generator.pick(TaskOutcome.allCases.map { ($0, $0.isPossible(asset: asset, funding: funding) ? $0.weight : 0) })
        // The mock operator starts when a funding from the wallet or the test connector commits.
        let mockOperator = outcome == .approve && [.wallet, .testConnector, .chainDeposit].contains(funding) && generator.chance(30)
        return TaskShape(asset: asset, funding: funding, outcome: outcome, mockOperator: mockOperator)
    }
}

/// One task's part in the run.
struct TaskPlan: Sendable {
    let index: Int
    let agent: Int
    /// Nil when nobody is hired: an expiring task, or one the platform's mock operator does.
    let worker: Int?
    let asset: Asset
    let budgetMinor: Int64
    let feePaidBy: FeePayer
    /// The escrow, payout and fee the pricing gives the budget, for deposits and checks.
    let split: FeeSplit
    let funding: FundingKind
    let outcome: TaskOutcome
    /// Test mode's mock operator applies, is accepted and submits.
    let mockOperator: Bool
    /// A canceled task is canceled after its worker was hired.
    let cancelAfterHiring: Bool
    /// What a dispute's resolution gives the worker: 0, 1/4 … 4/4 of the payout.
    let disputeToWorkerMinor: Int64
    /// The EIP-3009 nonce of an authorization funding.
    let authorizationNonce: [UInt8]
    /// Posted and funded in one call (`"fund"` on POST /v1/tasks; seeds 003 and 004): a wallet
    /// or test-connector funding only.
    let fundedAtPosting: Bool
    /// Freeform (the default delivery type, seed 002): the worker is hired and the agent
    /// approves without anything submitted.
    let completedWithoutSubmission: Bool
    /// The budget's parts when it is paid by milestones (seed 000), in order, summing to it;
    /// empty when it is paid whole. Approved one at a time; a cancel comes after the first.
    let milestonesMinor: [Int64]
    /// The task is an order of its worker's service: the worker publishes one at the budget,
    /// the agent orders it (assigned at once, the fee on top) and funds it as planned.
    let serviceOrder: Bool

    var title: String { "Simulated task \(index)" }

    /// How often a drawn task with a worker is an order of that worker's service.
    static let serviceOrderPercent = 20

    /// `budget` in `count` parts: equal ones, the last taking the remainder.
    static func parts(of budget: Int64, count: Int) -> [Int64] {
        let each = budget / Int64(count)
        return Array(repeating: each, count: count - 1) + [budget - each * Int64(count - 1)]
    }

    static func draw(index: Int, agents: Int, workers: Int, pricing: Pricing, _ generator: inout SeededGenerator) throws -> TaskPlan {
        let shape = index < TaskShape.coverage.count ? TaskShape.coverage[index] : TaskShape.draw(&generator)
        let budgetMinor = shape.asset == .usd ? generator.int64(in: 100...50_000) : generator.int64(in: 1_000_000...500_000_000)
        let drawnFeePayer: FeePayer = generator.chance(20) ? .worker : .agent
        // Every draw is made for every task, in this order, whether or not its outcome uses it.
        let agent = generator.index(below: agents)
        let hired = WorkerPlan.refusedIndex + 1 + generator.index(below: workers - 1)
        let cancelAfterHiring = generator.chance(50)
        let disputeQuarters = Int64(generator.below(5))
        let nonce = generator.bytes(32)
        let atPosting = generator.chance(40)
        let withoutSubmission = generator.chance(30)
        let worker: Int? = switch shape.outcome {
        case .expire: nil
        case .payoutFails: WorkerPlan.refusedIndex
        default: shape.mockOperator ? nil : hired
        }
        // An order needs a provider and is assigned at once, so it never expires.
        let ordered = generator.chance(Self.serviceOrderPercent)
        let inParts = generator.chance(25)
        let partCount = 2 + Int(generator.below(2))
        let serviceOrder = worker != nil && (index < TaskShape.coverage.count ? shape.serviceOrder : ordered)
        let feePaidBy: FeePayer = serviceOrder ? .agent : drawnFeePayer  // an order's fee is on top of its price
        let split = try pricing.split(budgetMinor: budgetMinor, paidBy: feePaidBy)
        // The coverage shapes take each new path at least once: the test-connector one is
        // funded at posting, the first card approval completes without a submission. Orders
        // have their own path (ordered, then funded; submitted by their provider).
        let fundable = [.wallet, .testConnector].contains(shape.funding) && !serviceOrder
        let fundedAtPosting = fundable && (index == 1 || (index >= TaskShape.coverage.count && atPosting))
        let completedWithoutSubmission = shape.outcome == .approve && worker != nil && !serviceOrder
            && (index == 2 || (index >= TaskShape.coverage.count && withoutSubmission))
        // Milestones: a task funded from the wallet or the test connector after posting, hired,
        // and approved part by part or canceled after its first part; the USDC wallet-funded
        // cancel of the coverage shapes always is.
        let milestonable = fundable && !fundedAtPosting && worker != nil && [.approve, .cancel].contains(shape.outcome)
        let milestones = milestonable && (index == 11 || (index >= TaskShape.coverage.count && inParts))
        let milestonesMinor = milestones ? Self.parts(of: budgetMinor, count: partCount) : []
        return TaskPlan(index: index, agent: agent, worker: worker, asset: shape.asset, budgetMinor: budgetMinor, feePaidBy: feePaidBy, split: split,
                        funding: shape.funding, outcome: shape.outcome, mockOperator: shape.mockOperator,
                        cancelAfterHiring: cancelAfterHiring || milestones, disputeToWorkerMinor: split.payoutMinor * disputeQuarters / 4,
                        authorizationNonce: nonce, fundedAtPosting: fundedAtPosting, completedWithoutSubmission: completedWithoutSubmission,
                        milestonesMinor: milestonesMinor, serviceOrder: serviceOrder)
    }
}
