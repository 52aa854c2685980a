import Foundation
import LedgerCore

/// A task as an API caller describes it, checked field by field (each refusal names its
/// field) before anything is written. Amounts are exact: "12.50" or 12.5, never a Double.
public struct TaskDraft: Sendable, Hashable {
    public struct Budget: Sendable, Hashable {
        public var amount: String
        public var currency: String
        public var type: String
        public var estimatedHours: Int?

        public init(amount: String, currency: String, type: String = "fixed", estimatedHours: Int? = nil) {
            self.amount = amount
            self.currency = currency
            self.type = type
            self.estimatedHours = estimatedHours
        }
    }

    public var title: String
    public var description: String
    public var category: String
    public var taskType: String?
    public var locationType: String
    public var address: String?
    public var latitude: Double?
    public var longitude: Double?
    public var budget: Budget
    public var deadline: String?
    public var deliveryType: String
    public var requiredDeliverables: [String]
    public var proofRequirements: [String]
    public var verifiedOnly: Bool
    public var urgency: String
    public var callbackURL: String?
    /// The webhook format of the callback URL's deliveries: a dialect sets its own (seed 002's
    /// callbacks); nil is the marketplace's signed envelope.
    public var callbackFormat: String?
    /// Who bears the platform's fee: "agent" (on top of the budget) or "worker" (out of the payout).
    public var feePaidBy: String
    /// Test mode only: ask for a mock operator to do the task.
    public var mockOperator: Bool
    public var autoApprove: Bool
    public var autoReject: Bool
    /// The task's milestones (seed 000), summing to the budget exactly; none for a task paid whole.
    public var milestones: [MilestoneDraft]

    public static let titleLengthMax = 200
    public static let descriptionLengthMax = 5_000
    public static let taskTypeLengthMax = 50
    public static let addressLengthMax = 500
    public static let proofRequirementsMax = 20
    public static let proofRequirementLengthMax = 500
    public static let callbackURLLengthMax = 2_000
    public static let estimatedHoursMax = 1_000
    /// The largest budget a task may carry, in whole units of its asset (1,000,000.00 USD or
    /// USDC): far past any task, and far enough below Int64 that budget + fee never overflows.
    public static let budgetUnitsMax: Int64 = 1_000_000

    public init(title: String, description: String, category: String, taskType: String? = nil, locationType: String = "remote",
                address: String? = nil, latitude: Double? = nil, longitude: Double? = nil, budget: Budget, deadline: String? = nil,
                deliveryType: String = "freeform", requiredDeliverables: [String] = [], proofRequirements: [String] = [],
                verifiedOnly: Bool = false, urgency: String = "normal", callbackURL: String? = nil, feePaidBy: String = "agent",
                mockOperator: Bool = false, autoApprove: Bool = false, autoReject: Bool = false, milestones: [MilestoneDraft] = []) {
        self.title = title
        self.description = description
        self.category = category
        self.taskType = taskType
        self.locationType = locationType
        self.address = address
        self.latitude = latitude
        self.longitude = longitude
        self.budget = budget
        self.deadline = deadline
        self.deliveryType = deliveryType
        self.requiredDeliverables = requiredDeliverables
        self.proofRequirements = proofRequirements
        self.verifiedOnly = verifiedOnly
        self.urgency = urgency
        self.callbackURL = callbackURL
        self.feePaidBy = feePaidBy
        self.mockOperator = mockOperator
        self.autoApprove = autoApprove
        self.autoReject = autoReject
        self.milestones = milestones
    }
}
