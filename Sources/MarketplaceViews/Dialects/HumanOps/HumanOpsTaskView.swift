public import Foundation
import LedgerCore
public import Marketplace

/// A task as seed 003 answers it: `task_id`, its status name, the reward as the number the
/// client sent (exact: a Decimal made from the minor units, never a Double), the location as
/// an object, and where the escrow stands.
public struct HumanOpsTaskView: Encodable, Sendable {
    public struct Location: Encodable, Sendable {
        let lat: Double
        let lng: Double
        let address: String?
    }

    let taskId: String
    let title: String
    let description: String
    let taskType: String?
    let location: Location?
    let rewardUsd: Decimal
    let currency: String
    let deadline: String?
    let proofRequirements: [String]
    let status: String
    /// unfunded, pending, funded, refunded or released (the /v1 `funding_status`).
    let escrowStatus: String
    let testMode: Bool
    let createdAt: String
    let updatedAt: String
    /// On a cancel's answer: whether the escrow went back to the agent.
    let refunded: Bool?

    public init(_ task: MarketTask, refunded: Bool? = nil) {
        let spec = task.spec
        taskId = task.id
        title = spec.title
        description = spec.description
        taskType = spec.taskType
        location = spec.latitude.flatMap { lat in spec.longitude.map { Location(lat: lat, lng: $0, address: spec.address) } }
        rewardUsd = ExactDecimal.of(spec.budgetMinor, spec.asset)
        currency = spec.asset.code
        deadline = spec.deadline.map(Timestamps.format)
        proofRequirements = spec.proofRequirements
        status = HumanOpsStatus.name(task.status)
        escrowStatus = task.fundingStatus.rawValue
        testMode = task.mode == .test
        createdAt = Timestamps.format(task.createdAt)
        updatedAt = Timestamps.format(task.updatedAt)
        self.refunded = refunded
    }
}
