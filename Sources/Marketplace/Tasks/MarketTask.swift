/// A task as stored and shown: who owns it, where it is in its life, and its validated spec.
/// (Named so, not `Task`, to stay clear of Swift's concurrency type.)
public struct MarketTask: Sendable, Hashable, Codable {
    public let id: String
    public let mode: Mode
    public let ownerID: String
    public var status: TaskStatus
    public var spec: TaskSpec
    /// The human the task is assigned to, once an application is accepted.
    public var workerID: String?
    public let createdAt: Int64
    public var updatedAt: Int64
    /// Hidden by its owner: out of the published listing, still read and managed by id.
    public var hidden = false
    /// What the store knows of the task's money and applicants when it read the row.
    public var facts = TaskFacts()

    /// Where the task's money stands: read from the facts and the status, so a task changed in
    /// memory after its read (approved, canceled) answers what its commit made true.
    public var fundingStatus: FundingStatus {
        guard facts.funded else { return facts.fundingPending ? .pending : .unfunded }
        switch status {
        case .paid: return .released
        case .canceled, .expired: return .refunded
        case .resolved: return facts.disputePaidWorker ? .released : .refunded
        default: return .funded
        }
    }

    /// The milestones of `spec.milestones` with where each one's money stands; empty when the
    /// task is paid whole.
    public var milestones: [Milestone] = []
}

/// A page of tasks, newest first.
public struct TaskPage: Sendable, Hashable, Codable {
    public let tasks: [MarketTask]
    public let hasMore: Bool
    public let nextCursor: String?
    /// With offset pagination: how many tasks match in all, and the offset of this page.
    public let count: Int?
    public let offset: Int?

    public init(tasks: [MarketTask], hasMore: Bool, nextCursor: String?, count: Int? = nil, offset: Int? = nil) {
        self.tasks = tasks
        self.hasMore = hasMore
        self.nextCursor = nextCursor
        self.count = count
        self.offset = offset
    }
}

/// What a list of tasks is filtered by.
public struct TaskFilter: Sendable, Hashable {
    public var status: String?
    public var category: String?
    public var locationType: String?
    public var urgency: String?
    /// Only the caller's own tasks (any status); otherwise published tasks of everyone.
    public var mine: Bool
    public var limit: Int
    public var cursor: String?
    /// Offset pagination, as some seed APIs page (`limit`, `offset`, a total `count`): skip
    /// this many matching tasks. Beside `cursor`, never with it.
    public var offset: Int?

    public static let limitMax = 100
    /// The deepest offset a page may start at (deeper pages go by cursor).
    public static let offsetMax = 10_000

    public init(status: String? = nil, category: String? = nil, locationType: String? = nil, urgency: String? = nil,
                mine: Bool = false, limit: Int = 20, cursor: String? = nil, offset: Int? = nil) {
        self.status = status
        self.category = category
        self.locationType = locationType
        self.urgency = urgency
        self.mine = mine
        self.limit = limit
        self.cursor = cursor
        self.offset = offset
    }
}

/// The fields an owner may change while the task is published. Nil leaves a field as it is.
public struct TaskUpdate: Sendable, Hashable {
    public var title: String?
    public var description: String?
    public var category: String?
    public var deadline: String?
    public var urgency: String?
    public var requiredDeliverables: [String]?
    public var proofRequirements: [String]?
    public var verifiedOnly: Bool?
    public var callbackURL: String?

    public init(title: String? = nil, description: String? = nil, category: String? = nil, deadline: String? = nil,
                urgency: String? = nil, requiredDeliverables: [String]? = nil, proofRequirements: [String]? = nil,
                verifiedOnly: Bool? = nil, callbackURL: String? = nil) {
        self.title = title
        self.description = description
        self.category = category
        self.deadline = deadline
        self.urgency = urgency
        self.requiredDeliverables = requiredDeliverables
        self.proofRequirements = proofRequirements
        self.verifiedOnly = verifiedOnly
        self.callbackURL = callbackURL
    }
}
