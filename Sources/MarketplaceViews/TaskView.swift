import LedgerCore
import Marketplace

/// A task as tools answer it: the same fields as REST's task.
struct TaskView: Encodable, Sendable {
    struct Budget: Encodable, Sendable {
        let amount: String
        let amountMinor: Int64
        let currency: String
        let type: String
        let estimatedHours: Int?
        /// What the task pays in all (rate × hours for an hourly task).
        let total: MoneyView
    }

    let id: String
    let mode: String
    let ownerId: String
    let workerId: String?
    let status: String
    let title: String
    let description: String
    let category: String
    let taskType: String?
    let locationType: String
    let address: String?
    let latitude: Double?
    let longitude: Double?
    let budget: Budget
    let deadline: String?
    let deliveryType: String
    let requiredDeliverables: [String]
    let proofRequirements: [String]
    let verifiedOnly: Bool
    let urgency: String
    let callbackUrl: String?
    let feePaidBy: String
    let mockOperator: Bool
    let autoApprove: Bool
    let autoReject: Bool
    let createdAt: String
    let updatedAt: String

    init(_ task: MarketTask) {
        let spec = task.spec
        id = task.id
        mode = task.mode.rawValue
        ownerId = task.ownerID
        workerId = task.workerID
        status = task.status.rawValue
        title = spec.title
        description = spec.description
        category = spec.category
        taskType = spec.taskType
        locationType = spec.locationType.rawValue
        address = spec.address
        latitude = spec.latitude
        longitude = spec.longitude
        budget = Budget(amount: MinorUnits.format(spec.amountMinor, scale: spec.asset.scale), amountMinor: spec.amountMinor,
                        currency: spec.asset.code, type: spec.budgetType.rawValue, estimatedHours: spec.estimatedHours,
                        total: MoneyView(minor: spec.budgetMinor, asset: spec.asset))
        deadline = spec.deadline.map(Timestamps.format)
        deliveryType = spec.deliveryType.rawValue
        requiredDeliverables = spec.requiredDeliverables.map(\.rawValue)
        proofRequirements = spec.proofRequirements
        verifiedOnly = spec.verifiedOnly
        urgency = spec.urgency.rawValue
        callbackUrl = spec.callbackURL
        feePaidBy = spec.feePaidBy.rawValue
        mockOperator = spec.mockOperator
        autoApprove = spec.autoApprove
        autoReject = spec.autoReject
        createdAt = Timestamps.format(task.createdAt)
        updatedAt = Timestamps.format(task.updatedAt)
    }
}

/// A page of tasks.
struct TaskPageView: Encodable, Sendable {
    let tasks: [TaskView]
    let hasMore: Bool
    let nextCursor: String?
}
