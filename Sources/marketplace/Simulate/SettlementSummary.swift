import Foundation
import LedgerCore

/// What a run settled, per asset and connector, in minor units: the same for the same seed,
/// whatever the interleaving. Only `timing` differs between runs.
struct SettlementSummary: Encodable, Sendable {
    /// One asset's money through one connector. Tasks count under the connector their money
    /// came through: test (the wallet after a test deposit, or the test connector), stripe
    /// (card checkouts), base (x402 authorizations, or the wallet after an on-chain deposit).
    struct Row: Encodable, Sendable {
        let asset: String
        let connector: String
        var tasks = 0
        /// Deposited into wallets through this connector before the tasks were funded.
        var depositedMinor: Int64 = 0
        var fundedMinor: Int64 = 0
        var feesMinor: Int64 = 0
        var toWorkersMinor: Int64 = 0
        var paidOutMinor: Int64 = 0
        var payoutsFailedMinor: Int64 = 0
        var refundedMinor: Int64 = 0
        var refundsFailedMinor: Int64 = 0
        var frozenMinor: Int64 = 0

        mutating func add(_ result: TaskResult) {
            tasks += 1
            fundedMinor += result.fundedMinor
            feesMinor += result.feeMinor
            toWorkersMinor += result.toWorkerMinor
            paidOutMinor += result.paidOutMinor
            payoutsFailedMinor += result.payoutsFailedMinor
            refundedMinor += result.refundedMinor
            refundsFailedMinor += result.refundsFailedMinor
            frozenMinor += result.frozenMinor
        }
    }

    /// `ledger verify`'s findings that do not change between runs of one seed.
    struct Verification: Encodable, Sendable {
        let consistent: Bool
        let transfersChecked: Int64
        let accountsChecked: Int
        let holdsOpen: Int
        let fault: String?
    }

    struct Timing: Encodable, Sendable {
        let wallSeconds: Double
        let tasksPerSecond: Double

        init(elapsed: Duration, tasksSettled: Int) {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            wallSeconds = (seconds * 1_000).rounded() / 1_000
            tasksPerSecond = seconds > 0 ? (Double(tasksSettled) / seconds * 10).rounded() / 10 : 0
        }
    }

    let seed: UInt64
    let agents: Int
    let workers: Int
    let tasks: Int
    /// Tasks per outcome, and how many of the approved ones the platform's mock operator did.
    let outcomes: [String: Int]
    let mockOperatorTasks: Int
    /// Tasks that took each of the seed documents' paths beside the plain post-then-fund one.
    let paths: [String: Int]
    /// Tasks that were orders of a worker's service.
    let serviceOrderTasks: Int
    let settlement: [Row]
    /// What the hot wallet's transactions cost in gas, in gwei (ETH's minor unit here).
    let gasMinor: Int64
    let tasksSettled: Int
    let verify: Verification
    /// Where the summary and the ledger's own accounts disagree, and holds (intents) a settled
    /// run should not have left open: nothing, on a good run.
    let ledgerDisagreements: [String]
    var timing: Timing?

    var isClean: Bool { verify.consistent && ledgerDisagreements.isEmpty }

    init(plan: SimulationPlan, results: [TaskResult], ledger: Ledger, verify report: VerifyReport) throws {
        seed = plan.seed
        agents = plan.agents.count
        workers = plan.workers.count
        tasks = plan.tasks.count
        outcomes = Dictionary(uniqueKeysWithValues: TaskOutcome.allCases.map { outcome in
            (outcome.rawValue, plan.tasks.filter { $0.outcome == outcome }.count)
        })
        mockOperatorTasks = plan.tasks.filter(\.mockOperator).count
        serviceOrderTasks = plan.tasks.filter(\.serviceOrder).count
        paths = ["funded_at_posting": plan.tasks.filter(\.fundedAtPosting).count,
                 "completed_without_submission": plan.tasks.filter(\.completedWithoutSubmission).count,
                 "paid_by_milestones": plan.tasks.filter { !$0.milestonesMinor.isEmpty }.count]
        settlement = Self.rows(plan: plan, results: results)
        gasMinor = try ledger.account(code: ChartOfAccounts.standard.gasExpense(mode: .test).code)?.balance.posted(for: .expense) ?? 0
        tasksSettled = results.count
        verify = Verification(consistent: report.isClean, transfersChecked: report.transfersChecked, accountsChecked: report.accountsChecked,
                              holdsOpen: report.holdsOpen, fault: report.fault?.description)
        ledgerDisagreements = try Self.disagreements(results: results, rows: settlement, ledger: ledger)
            + (report.holdsOpen > 0 ? ["\(report.holdsOpen) holds still open: intents that never settled"] : [])
    }

    /// Every (asset, connector) a plan can use, in a fixed order, empty ones included.
    static let layout: [(Asset, SimulatedConnector)] = [(.usd, .test), (.usd, .stripe), (.usdc, .test), (.usdc, .base)]

    static func rows(plan: SimulationPlan, results: [TaskResult]) -> [Row] {
        layout.map { asset, connector in
            var row = Row(asset: asset.code, connector: connector.rawValue)
            for result in results where result.plan.asset == asset && result.plan.funding.connector == connector { row.add(result) }
            let depositKind: FundingKind? = switch connector {
            case .test: .wallet
            case .base: .chainDeposit
            case .stripe: nil
            }
            if let depositKind {
                row.depositedMinor = plan.agents.reduce(0) { $0 + plan.escrowMinor(of: $1.index, funding: depositKind, asset: asset) }
            }
            return row
        }
    }
}
