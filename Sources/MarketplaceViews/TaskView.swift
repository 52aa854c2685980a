public import LedgerCore
public import Marketplace

/// A task as tools answer it: the same fields as REST's task.
public struct TaskView: Encodable, Sendable {
    public struct Budget: Encodable, Sendable {
        public let amount: String
        public let amountMinor: Int64
        public let currency: String
        public let type: String
        public let estimatedHours: Int?
        /// What the task pays in all (rate × hours for an hourly task).
        public let total: MoneyView
    }

    public let id: String
    public let mode: String
    public let ownerId: String
    public let workerId: String?
    public let status: String
    public let title: String
    public let description: String
    public let category: String
    public let taskType: String?
    public let locationType: String
    public let address: String?
    public let latitude: Double?
    public let longitude: Double?
    public let budget: Budget
    public let deadline: String?
    public let deliveryType: String
    public let requiredDeliverables: [String]
    public let proofRequirements: [String]
    public let verifiedOnly: Bool
    public let urgency: String
    public let callbackUrl: String?
    public let feePaidBy: String
    public let mockOperator: Bool
    public let autoApprove: Bool
    public let autoReject: Bool
    public let createdAt: String
    public let updatedAt: String
    /// Hidden by its owner from listings.
    public let hidden: Bool
    /// unfunded, pending, funded, refunded or released.
    public let fundingStatus: String
    /// Applications received, whatever their status.
    public let applicationCount: Int
    /// The milestones the budget is paid in, with their statuses; empty when it is paid whole.
    public let milestones: [MilestoneView]

    /// The task as its owner sees it: every field. Answers to anyone else go through
    /// `init(_:shownTo:)`.
    public init(_ task: MarketTask) { self.init(task, shownTo: task.ownerID) }

    /// The task as `viewerID` sees it (nil: someone without credentials): the owner's private
    /// settings, where the task's events are sent (`callback_url`), only to its owner.
    public init(_ task: MarketTask, shownTo viewerID: String?) {
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
        callbackUrl = viewerID == task.ownerID ? spec.callbackURL : nil
        feePaidBy = spec.feePaidBy.rawValue
        mockOperator = spec.mockOperator
        autoApprove = spec.autoApprove
        autoReject = spec.autoReject
        createdAt = Timestamps.format(task.createdAt)
        updatedAt = Timestamps.format(task.updatedAt)
        hidden = task.hidden
        fundingStatus = task.fundingStatus.rawValue
        applicationCount = task.facts.applicationCount
        milestones = task.milestones.map { MilestoneView($0, asset: spec.asset) }
    }
}

/// A page of tasks.
public struct TaskPageView: Encodable, Sendable {
    public let tasks: [TaskView]
    public let hasMore: Bool
    public let nextCursor: String?
    /// With offset pagination only: the total of matching tasks and this page's offset.
    public let count: Int?
    public let offset: Int?

    public init(tasks: [TaskView], hasMore: Bool, nextCursor: String?, count: Int? = nil, offset: Int? = nil) {
        self.tasks = tasks
        self.hasMore = hasMore
        self.nextCursor = nextCursor
        self.count = count
        self.offset = offset
    }
}
