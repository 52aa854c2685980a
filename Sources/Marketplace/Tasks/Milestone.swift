import LedgerCore

/// One milestone of a task as its owner defined it (seed 000): a title, an amount in the
/// task's asset and an optional due date. The amounts of a task's milestones sum to its
/// budget exactly. Ids are the milestone's place in the list (`m1`, `m2`, …).
public struct MilestoneSpec: Sendable, Hashable, Codable {
    public let id: String
    public let title: String
    public let amountMinor: Int64
    /// Microseconds since 1970.
    public let dueAt: Int64?

    /// The id of the milestone at `index` (from 0) in its task's list.
    static func id(at index: Int) -> String { "m\(index + 1)" }
}

/// Where a milestone's money is: not yet in escrow, in escrow, paid to the worker (with the
/// fee), or back with the payer after a cancel.
public enum MilestoneStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case pending, funded, released, refunded
}

/// A milestone with where its money stands. The parts (`escrowMinor`, `payoutMinor`,
/// `feeMinor`) are fixed when it is funded, from the task's fee split by
/// `FeeSplit.milestoneParts`; nil while it is pending.
public struct Milestone: Sendable, Hashable, Codable {
    public let spec: MilestoneSpec
    public var status: MilestoneStatus
    public var escrowMinor: Int64?
    public var payoutMinor: Int64?
    public var feeMinor: Int64?
    public var fundedAt: Int64?
    public var releasedAt: Int64?
    public var refundedAt: Int64?

    public var id: String { spec.id }

    /// A milestone not yet funded.
    init(pending spec: MilestoneSpec) {
        self.init(spec: spec, status: .pending)
    }

    init(spec: MilestoneSpec, status: MilestoneStatus, escrowMinor: Int64? = nil, payoutMinor: Int64? = nil, feeMinor: Int64? = nil,
         fundedAt: Int64? = nil, releasedAt: Int64? = nil, refundedAt: Int64? = nil) {
        self.spec = spec
        self.status = status
        self.escrowMinor = escrowMinor
        self.payoutMinor = payoutMinor
        self.feeMinor = feeMinor
        self.fundedAt = fundedAt
        self.releasedAt = releasedAt
        self.refundedAt = refundedAt
    }

    /// The part of the task's split this milestone's funding recorded; one that does not split
    /// (or a pending milestone's) is an internal error.
    func recordedPart(taskID: String) throws(MarketplaceError) -> FeeSplit {
        guard let payoutMinor, let feeMinor else { throw .internalError("milestone \(id) of \(taskID) has no recorded part") }
        do { return try FeeSplit(payoutMinor: payoutMinor, feeMinor: feeMinor) } catch {
            throw .internalError("milestone \(id) of \(taskID) does not split: \(error)")
        }
    }
}

/// A milestone as its owner sends it at create: the amount as exact decimal text, the due
/// date as ISO 8601.
public struct MilestoneDraft: Sendable, Hashable {
    public var title: String
    public var amount: String
    public var dueDate: String?

    public init(title: String, amount: String, dueDate: String? = nil) {
        self.title = title
        self.amount = amount
        self.dueDate = dueDate
    }

    /// The most milestones a task may have.
    public static let countMax = 20
}

extension TaskDraft {
    /// Checks the milestones against the validated budget: each with a title, an amount of the
    /// task's asset (no more decimals than it has) and a future due date when given; all
    /// together summing to the budget exactly. A bounty has none (it pays one winner, not a
    /// worker in stages). Each refusal names its field (`milestones[1].amount`, `milestones`).
    func validatedMilestones(asset: Asset, budgetMinor: Int64, delivery: DeliveryType, nowMicros: Int64) throws(MarketplaceError) -> [MilestoneSpec] {
        guard !milestones.isEmpty else { return [] }
        guard delivery != .bounty else {
            throw .validation(field: "milestones", message: "a bounty pays one winning entry; milestones need an assigned worker")
        }
        guard milestones.count <= MilestoneDraft.countMax else {
            throw .validation(field: "milestones", message: "at most \(MilestoneDraft.countMax) milestones")
        }
        var specs: [MilestoneSpec] = []
        var sumMinor: Int64 = 0
        for (index, draft) in milestones.enumerated() {
            let spec = try Self.validatedMilestone(draft, index: index, asset: asset, nowMicros: nowMicros)
            let (next, overflow) = sumMinor.addingReportingOverflow(spec.amountMinor)
            guard !overflow else { throw .validation(field: "milestones", message: "the milestone amounts overflow") }
            sumMinor = next
            specs.append(spec)
        }
        guard sumMinor == budgetMinor else {
            throw .validation(field: "milestones", message: "the milestones sum to \(MinorUnits.format(sumMinor, scale: asset.scale)) \(asset.code); "
                + "they must sum to the budget of \(MinorUnits.format(budgetMinor, scale: asset.scale)) \(asset.code) exactly")
        }
        return specs
    }

    private static func validatedMilestone(_ draft: MilestoneDraft, index: Int, asset: Asset, nowMicros: Int64) throws(MarketplaceError) -> MilestoneSpec {
        let field = "milestones[\(index)]"
        let title = try text(draft.title, field: "\(field).title", max: titleLengthMax)
        let amountMinor: Int64
        do { amountMinor = try MinorUnits.parse(draft.amount, scale: asset.scale) } catch {
            throw .validation(field: "\(field).amount", message: "\(field).amount: \(error.description)")
        }
        guard amountMinor > 0 else { throw .validation(field: "\(field).amount", message: "\(field).amount must be greater than zero") }
        let dueAt = try draft.dueDate.map { (text) throws(MarketplaceError) -> Int64 in
            let micros: Int64
            do throws(TimestampError) { micros = try Timestamps.parse(text) } catch { throw .validation(field: "\(field).due_date", message: error.description) }
            guard micros > nowMicros else { throw .validation(field: "\(field).due_date", message: "\(field).due_date must be in the future") }
            return micros
        }
        return MilestoneSpec(id: MilestoneSpec.id(at: index), title: title, amountMinor: amountMinor, dueAt: dueAt)
    }
}
