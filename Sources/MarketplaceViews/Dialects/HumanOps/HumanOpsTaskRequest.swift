public import Marketplace

/// A task as seed 003 posts it (REST `POST /api/v1/tasks`, MCP `post_task`), turned into the
/// /v1 draft: a submission task whose proof is scored (approved at 90 and above, rejected below
/// 50), its reward in USDC (the document settles USDC on Base) with the fee on top, and in test
/// mode a mock operator to do it. The draft's own checks then name any field at fault.
public struct HumanOpsTaskRequest: Sendable {
    public struct Location: Sendable {
        public let lat: Double
        public let lng: Double
        public let address: String?

        public init(lat: Double, lng: Double, address: String?) {
            self.lat = lat
            self.lng = lng
            self.address = address
        }
    }

    public let title: String
    public let description: String
    public let taskType: String
    public let location: Location?
    /// The reward as the exact decimal text the client sent.
    public let reward: String
    public let deadline: String?
    public let proofRequirements: [String]

    public init(title: String, description: String, taskType: String, location: Location?, reward: String, deadline: String?,
                proofRequirements: [String]) {
        self.title = title
        self.description = description
        self.taskType = taskType
        self.location = location
        self.reward = reward
        self.deadline = deadline
        self.proofRequirements = proofRequirements
    }

    public func draft(mode: Mode) -> TaskDraft {
        let (category, photo) = HumanOpsTaskType.category(of: taskType)
        return TaskDraft(title: title, description: description, category: category, taskType: taskType,
                         locationType: location == nil ? "remote" : "local", address: location?.address,
                         latitude: location?.lat, longitude: location?.lng,
                         budget: .init(amount: reward, currency: "USDC"), deadline: deadline, deliveryType: "submission",
                         requiredDeliverables: photo ? ["photo"] : [], proofRequirements: proofRequirements,
                         mockOperator: mode == .test, autoApprove: true, autoReject: true)
    }

    /// Escrow at posting: in test mode from the test connector ("no credit card required"),
    /// in live mode from the wallet.
    public static func funding(mode: Mode) -> FundingMethod { mode == .test ? .testConnector : .wallet }
}
