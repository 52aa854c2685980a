/// An order of a service (seed 000): the task it is (its id is the order's id), assigned to
/// the service's provider and priced from the service when it was ordered.
public struct ServiceOrder: Sendable, Hashable {
    /// The order's task, also the order's id.
    public let taskID: String
    public let serviceID: String
    /// Who ordered, the task's owner.
    public let buyerID: String
    /// Who does it, the task's worker.
    public let providerID: String
    /// Hours ordered of an hourly service; nil for a fixed price.
    public let hours: Int?
    public let createdAt: Int64
    /// 1, 2, 3, … in the order orders were placed (seed 000's integer `order_id`); 0 until stored.
    public var number: Int64 = 0
}

extension ServiceOrder {
    func numbered(_ number: Int64) -> ServiceOrder {
        var order = self
        order.number = number
        return order
    }
}

/// What an order asks for beyond the service itself.
public struct OrderRequest: Sendable, Hashable {
    /// Hours of an hourly service (required there, refused for a fixed price).
    public var hours: Int?
    /// What the buyer wants done; the task's description (the service's own when nil).
    public var instructions: String?

    public init(hours: Int? = nil, instructions: String? = nil) {
        self.hours = hours
        self.instructions = instructions
    }
}

/// An order as it is answered: the order, its task, and the task's funding once funded.
public struct PlacedOrder: Sendable, Hashable {
    public let order: ServiceOrder
    public let task: MarketTask
    public let funding: TaskFunding?
}

/// What preparing an order's owner-approved payment did: through an API key, it records a
/// funding approval the account owner decides (logged in); a logged-in owner's own request
/// funds the order from the wallet at once.
public enum OrderPayment: Sendable, Hashable {
    case awaitingApproval(FundingApproval)
    case funded(TaskFunding)
}
