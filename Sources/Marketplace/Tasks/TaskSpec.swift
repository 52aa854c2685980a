import Foundation
public import LedgerCore

public enum LocationType: String, Sendable, Hashable, Codable, CaseIterable { case remote, local }
public enum DeliveryType: String, Sendable, Hashable, Codable, CaseIterable { case freeform, submission, bounty }
public enum Deliverable: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case text, photo, url, file
    public static func < (lhs: Deliverable, rhs: Deliverable) -> Bool { lhs.rawValue < rhs.rawValue }
}
public enum Urgency: String, Sendable, Hashable, Codable, CaseIterable { case low, normal, high, urgent }
public enum BudgetType: String, Sendable, Hashable, Codable, CaseIterable { case fixed, hourly }
/// Who bears the platform's fee on a task.
public enum FeePayer: String, Sendable, Hashable, Codable, CaseIterable {
    /// The agent funds budget + fee; the worker receives the whole budget.
    case agent
    /// The agent funds the budget; the fee comes out of the worker's payout.
    case worker

    var policyPayer: FeePolicy.Payer { self == .agent ? .agentOnTop : .fromPayout }
}

/// A task draft that passed every check, in the units the marketplace stores.
public struct TaskSpec: Sendable, Hashable, Codable {
    public var title: String
    public var description: String
    public var category: String
    public var taskType: String?
    public var locationType: LocationType
    public var address: String?
    public var latitude: Double?
    public var longitude: Double?
    public var asset: Asset
    public var budgetType: BudgetType
    /// For an hourly task, the rate per hour; for a fixed one, the whole budget.
    public var amountMinor: Int64
    public var estimatedHours: Int?
    /// What the task pays in all: the fixed amount, or rate × estimated hours.
    public var budgetMinor: Int64
    public var deadline: Int64?
    public var deliveryType: DeliveryType
    public var requiredDeliverables: [Deliverable]
    public var proofRequirements: [String]
    public var verifiedOnly: Bool
    public var urgency: Urgency
    public var callbackURL: String?
    /// The webhook format the callback URL's deliveries are written in (a dialect's, such as
    /// seed 002's); nil for the marketplace's own signed envelope.
    public var callbackFormat: String?
    /// Nil in tasks stored before the choice existed, which all had the agent pay.
    var feePaidByStored: FeePayer?
    var mockOperatorStored: Bool?
    var autoApproveStored: Bool?
    var autoRejectStored: Bool?
    /// Nil in tasks without milestones (and in those stored before milestones existed).
    var milestonesStored: [MilestoneSpec]?

    /// The milestones the budget is paid in, in order; empty when it is paid whole.
    public var milestones: [MilestoneSpec] { milestonesStored ?? [] }

    /// Test mode: a mock operator applies, is accepted once the task is funded, and submits.
    public var mockOperator: Bool { mockOperatorStored ?? false }
    /// Approve a submission whose proof score is at least `ProofScore.autoApproveMin`.
    public var autoApprove: Bool { autoApproveStored ?? false }
    /// Reject a submission whose proof score is below `ProofScore.autoRejectBelow`.
    public var autoReject: Bool { autoRejectStored ?? false }

    /// Who bears the platform's fee.
    public var feePaidBy: FeePayer { feePaidByStored ?? .agent }

    enum CodingKeys: String, CodingKey {
        case title, description, category, taskType, locationType, address, latitude, longitude, asset, budgetType, amountMinor
        case estimatedHours, budgetMinor, deadline, deliveryType, requiredDeliverables, proofRequirements, verifiedOnly, urgency, callbackURL, callbackFormat
        case feePaidByStored = "feePaidBy"
        case mockOperatorStored = "mockOperator", autoApproveStored = "autoApprove", autoRejectStored = "autoReject"
        case milestonesStored = "milestones"
    }
}

extension TaskDraft {
    /// Checks every field in order and returns the stored form; `now` is for the deadline.
    public func validated(nowMicros: Int64) throws(MarketplaceError) -> TaskSpec {
        let title = try Self.text(title, field: "title", max: Self.titleLengthMax)
        let description = try Self.text(description, field: "description", max: Self.descriptionLengthMax)
        guard Category.named(category) != nil else {
            throw .validation(field: "category", message: "unknown category '\(category)'; see GET /v1/categories")
        }
        let taskType = try taskType.map { (value) throws(MarketplaceError) -> String in
            try Self.text(value, field: "task_type", max: Self.taskTypeLengthMax)
        }
        let location = try validatedLocation()
        let (asset, budgetType, amount, hours, total) = try validatedBudget()
        let deadline = try validatedDeadline(nowMicros: nowMicros)
        let delivery: DeliveryType = try Self.choice(deliveryType, field: "delivery_type")
        let deliverables = try requiredDeliverables.map { (name) throws(MarketplaceError) -> Deliverable in
            try Self.choice(name, field: "required_deliverables")
        }
        guard Set(deliverables).count == deliverables.count else {
            throw .validation(field: "required_deliverables", message: "required_deliverables lists a kind twice")
        }
        let proofs = try validatedProofRequirements()
        let urgency: Urgency = try Self.choice(urgency, field: "urgency")
        let callback = try callbackURL.map { (url) throws(MarketplaceError) -> String in try Self.httpURL(url, field: "callback_url") }
        let feePayer: FeePayer = try Self.choice(feePaidBy, field: "fee_paid_by")
        let milestones = try validatedMilestones(asset: asset, budgetMinor: total, delivery: delivery, nowMicros: nowMicros)
        return TaskSpec(title: title, description: description, category: category, taskType: taskType, locationType: location.type,
                        address: location.address, latitude: location.latitude, longitude: location.longitude, asset: asset,
                        budgetType: budgetType, amountMinor: amount, estimatedHours: hours, budgetMinor: total, deadline: deadline,
                        deliveryType: delivery, requiredDeliverables: deliverables.sorted(), proofRequirements: proofs,
                        verifiedOnly: verifiedOnly, urgency: urgency, callbackURL: callback, callbackFormat: callback == nil ? nil : callbackFormat,
                        feePaidByStored: feePayer,
                        mockOperatorStored: mockOperator, autoApproveStored: autoApprove, autoRejectStored: autoReject,
                        milestonesStored: milestones.isEmpty ? nil : milestones)
    }

    private func validatedLocation() throws(MarketplaceError) -> (type: LocationType, address: String?, latitude: Double?, longitude: Double?) {
        let type: LocationType = try Self.choice(locationType, field: "location_type")
        guard type == .local else { return (.remote, nil, nil, nil) }
        let address = try address.map { (value) throws(MarketplaceError) -> String in
            try Self.text(value, field: "address", max: Self.addressLengthMax)
        }
        if latitude != nil || longitude != nil {
            guard let latitude, latitude.isFinite, (-90...90).contains(latitude) else {
                throw .validation(field: "latitude", message: "latitude must be between -90 and 90")
            }
            guard let longitude, longitude.isFinite, (-180...180).contains(longitude) else {
                throw .validation(field: "longitude", message: "longitude must be between -180 and 180")
            }
        }
        guard address != nil || latitude != nil else {
            throw .validation(field: "address", message: "a local task needs an address or latitude and longitude")
        }
        return (.local, address, latitude, longitude)
    }

    private func validatedBudget() throws(MarketplaceError) -> (Asset, BudgetType, Int64, Int?, Int64) {
        guard let asset = Asset.named(budget.currency), asset != .eth else {
            throw .validation(field: "budget.currency", message: "currency must be USD or USDC")
        }
        let amount: Int64
        do {
            amount = try MinorUnits.parse(budget.amount, scale: asset.scale)
        } catch {
            throw .validation(field: "budget.amount", message: "budget.amount: \(error.description)")
        }
        guard amount > 0 else { throw .validation(field: "budget.amount", message: "budget.amount must be greater than zero") }
        let type: BudgetType = try Self.choice(budget.type, field: "budget.type")
        if let hours = budget.estimatedHours, !(1...Self.estimatedHoursMax).contains(hours) {
            throw .validation(field: "budget.estimated_hours", message: "budget.estimated_hours must be 1 to \(Self.estimatedHoursMax)")
        }
        let budgetMinorMax = Self.budgetUnitsMax * MinorUnits.factor(scale: asset.scale)
        guard amount <= budgetMinorMax else {
            throw .validation(field: "budget.amount", message: "budget.amount must be at most \(Self.budgetUnitsMax) \(asset.code)")
        }
        guard type == .hourly else { return (asset, .fixed, amount, budget.estimatedHours, amount) }
        guard let hours = budget.estimatedHours else {
            throw .validation(field: "budget.estimated_hours", message: "an hourly budget needs estimated_hours")
        }
        let (total, overflow) = amount.multipliedReportingOverflow(by: Int64(hours))
        guard !overflow, total <= budgetMinorMax else {
            throw .validation(field: "budget.amount", message: "budget.amount × estimated_hours must be at most \(Self.budgetUnitsMax) \(asset.code)")
        }
        return (asset, .hourly, amount, hours, total)
    }

    private func validatedDeadline(nowMicros: Int64) throws(MarketplaceError) -> Int64? {
        guard let deadline else { return nil }
        let micros: Int64
        do { micros = try Timestamps.parse(deadline) } catch { throw .validation(field: "deadline", message: error.description) }
        guard micros > nowMicros else { throw .validation(field: "deadline", message: "deadline must be in the future") }
        return micros
    }

    private func validatedProofRequirements() throws(MarketplaceError) -> [String] {
        guard proofRequirements.count <= Self.proofRequirementsMax else {
            throw .validation(field: "proof_requirements", message: "at most \(Self.proofRequirementsMax) proof requirements")
        }
        var result: [String] = []
        for (index, requirement) in proofRequirements.enumerated() {
            result.append(try Self.text(requirement, field: "proof_requirements[\(index)]", max: Self.proofRequirementLengthMax))
        }
        return result
    }

    static func text(_ value: String, field: String, max: Int) throws(MarketplaceError) -> String {
        let trimmed = value.trimmingWhitespace
        guard !trimmed.isEmpty else { throw .validation(field: field, message: "\(field) must not be empty") }
        guard trimmed.count <= max else { throw .validation(field: field, message: "\(field) must be at most \(max) characters") }
        return trimmed
    }

    static func choice<T: RawRepresentable & CaseIterable>(_ value: String, field: String) throws(MarketplaceError) -> T where T.RawValue == String {
        guard let choice = T(rawValue: value) else {
            throw .validation(field: field, message: "\(field) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return choice
    }

    static func httpURL(_ text: String, field: String) throws(MarketplaceError) -> String {
        guard text.count <= callbackURLLengthMax, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host?.isEmpty == false else {
            throw .validation(field: field, message: "\(field) must be an http(s) URL")
        }
        return text
    }
}
