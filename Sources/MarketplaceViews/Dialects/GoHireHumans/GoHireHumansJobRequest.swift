public import Marketplace

/// A job (seed 000's `POST /api/v1/jobs`, and its MCP tool `create_job`) as the /v1 task draft:
/// the budget in USD as exact decimal text, the document's `location` (city, state or address)
/// as the address, required for a local job as the document says.
public struct GoHireHumansJobRequest: Sendable {
    public let title: String
    public let description: String
    public let category: String
    public let locationType: String
    /// The budget's exact decimal text (`25.50`), never a Double.
    public let budgetAmount: String
    public let budgetType: String
    public let location: String?
    public let deadline: String?

    public init(title: String, description: String, category: String, locationType: String, budgetAmount: String, budgetType: String,
                location: String?, deadline: String?) {
        self.title = title
        self.description = description
        self.category = category
        self.locationType = locationType
        self.budgetAmount = budgetAmount
        self.budgetType = budgetType
        self.location = location
        self.deadline = deadline
    }

    /// The draft's fields as the job spells them, for `MarketplaceError.spelled`.
    public static let fieldNames = ["budget.amount": "budget_amount", "budget.type": "budget_type", "address": "location"]

    public func draft() throws(MarketplaceError) -> TaskDraft {
        if locationType == LocationType.local.rawValue, (location ?? "").isEmpty {
            throw .validation(field: "location", message: "location is required when location_type is local")
        }
        return TaskDraft(title: title, description: description, category: category, locationType: locationType, address: location,
                         budget: .init(amount: budgetAmount, currency: "USD", type: budgetType), deadline: deadline)
    }
}
