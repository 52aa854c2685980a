public import LedgerCore
public import Marketplace

/// A service as REST and the tools answer it: its public fields and its provider's public
/// details (id, display name, verified), never anything private of theirs.
public struct ServiceView: Encodable, Sendable {
    public struct Price: Encodable, Sendable {
        public let amount: String
        public let amountMinor: Int64
        public let currency: String
        /// fixed: the whole price; hourly: the rate per hour.
        public let type: String
    }

    public struct Provider: Encodable, Sendable {
        public let id: String
        public let displayName: String
        public let verified: Bool
    }

    public let id: String
    public let mode: String
    public let status: String
    public let title: String
    public let description: String
    public let category: String
    public let price: Price
    public let deliveryDays: Int
    public let locationType: String
    public let location: String?
    public let provider: Provider
    public let orderUrl: String
    public let createdAt: String
    public let updatedAt: String

    public init(_ listed: ListedService) {
        let service = listed.service
        let spec = service.spec
        id = service.id
        mode = service.mode.rawValue
        status = service.status.rawValue
        title = spec.title
        description = spec.description
        category = spec.category
        price = Price(amount: MinorUnits.format(spec.priceMinor, scale: spec.asset.scale), amountMinor: spec.priceMinor,
                      currency: spec.asset.code, type: spec.priceType.rawValue)
        deliveryDays = spec.deliveryDays
        locationType = spec.locationType.rawValue
        location = spec.location
        provider = Provider(id: listed.provider.id, displayName: listed.provider.displayName, verified: listed.provider.verified)
        orderUrl = "/v1/services/\(service.id)/orders"
        createdAt = Timestamps.format(service.createdAt)
        updatedAt = Timestamps.format(service.updatedAt)
    }
}

/// A page of services.
public struct ServicePageView: Encodable, Sendable {
    public let services: [ServiceView]
    public let hasMore: Bool
    public let nextCursor: String?
    /// With offset pagination only: the total of matching services and this page's offset.
    public let count: Int?
    public let offset: Int?

    public init(_ page: ServicePage) {
        services = page.services.map(ServiceView.init)
        hasMore = page.hasMore
        nextCursor = page.nextCursor
        count = page.count
        offset = page.offset
    }
}

/// An order: its id (its task's), the service, who buys and who provides, the hours, the
/// task it is, and the task's funding once funded (null before).
public struct OrderView: Encodable, Sendable {
    public let id: String
    /// 1, 2, 3, … in the order orders were placed: seed 000's integer `order_id`.
    public let number: Int64
    public let serviceId: String
    public let buyerId: String
    public let providerId: String
    public let hours: Int?
    /// What the order costs before the fee: the task's budget.
    public let price: MoneyView
    public let task: TaskView
    public let funding: FundingView?
    public let fundUrl: String
    public let createdAt: String

    public init(_ placed: PlacedOrder) {
        let order = placed.order
        id = order.taskID
        number = order.number
        serviceId = order.serviceID
        buyerId = order.buyerID
        providerId = order.providerID
        hours = order.hours
        price = MoneyView(minor: placed.task.spec.budgetMinor, asset: placed.task.spec.asset)
        task = TaskView(placed.task)
        funding = placed.funding.map(FundingView.init)
        fundUrl = "/v1/tasks/\(order.taskID)/fund"
        createdAt = Timestamps.format(order.createdAt)
    }

    private enum Key: String, CodingKey { case id, number, serviceId, buyerId, providerId, hours, price, task, funding, fundUrl, createdAt }

    /// `funding` and `hours` are written as null when absent, so that readers see the fields.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(id, forKey: .id)
        try container.encode(number, forKey: .number)
        try container.encode(serviceId, forKey: .serviceId)
        try container.encode(buyerId, forKey: .buyerId)
        try container.encode(providerId, forKey: .providerId)
        try container.encode(hours, forKey: .hours)
        try container.encode(price, forKey: .price)
        try container.encode(task, forKey: .task)
        try container.encode(funding, forKey: .funding)
        try container.encode(fundUrl, forKey: .fundUrl)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// An order's owner-approved payment as prepared: awaiting the owner's approval (with the
/// approval to decide), or funded (with the funding).
public struct OrderPaymentView: Encodable, Sendable {
    public let orderId: String
    /// awaiting_approval or funded.
    public let status: String
    public let approval: FundingApprovalView?
    public let funding: FundingView?

    public init(orderID: String, _ payment: OrderPayment) {
        orderId = orderID
        switch payment {
        case .awaitingApproval(let approval):
            status = "awaiting_approval"
            self.approval = FundingApprovalView(approval)
            funding = nil
        case .funded(let funding):
            status = "funded"
            approval = nil
            self.funding = FundingView(funding)
        }
    }
}
