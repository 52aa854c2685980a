import LedgerCore
import Synchronization

extension ServiceCatalog {
    /// Orders a published service (seed 000): the order is a task of the caller's, assigned to
    /// the service's provider at once, priced from the service (an hourly rate × `hours`), due
    /// `delivery_days` from now. With `funding` it is created and funded in one commit through
    /// the funding-at-posting path (a short wallet writes nothing); without, it waits unfunded
    /// for POST /v1/tasks/{id}/fund or an owner-approved payment, and the provider cannot
    /// submit until it is funded. A provider cannot order their own service.
    public func order(_ serviceID: String, _ request: OrderRequest, funding method: FundingMethod?,
                      by caller: Principal) async throws(MarketplaceError) -> PlacedOrder {
        try caller.require(.tasksWrite)
        let source = try method.map { (method) throws(MarketplaceError) -> FundingSource in try FundingPipeline.postingSource(method) }
        if source != nil { try caller.require(.walletWrite) }
        let service = try store.read { stores in try Self.visible(serviceID, to: caller, mode: caller.mode, stores) }
        guard service.providerID != caller.userID else { throw .conflict(field: nil, message: "you cannot order your own service") }
        guard service.status == .published else { throw .conflict(field: "status", message: "the service is unpublished") }
        let draft = try orderDraft(service, request)
        var task = try tasks.prepare(draft, by: caller)
        task.status = try task.status.applying(.assign)
        task.workerID = service.providerID
        let order = ServiceOrder(taskID: task.id, serviceID: service.id, buyerID: caller.userID, providerID: service.providerID,
                                 hours: request.hours, createdAt: task.createdAt)
        let number = Mutex<Int64>(0)  // taken in the commit, read once it is done
        let recording: @Sendable (Stores) throws -> Void = { [task] stores in
            let taken = try stores.serviceOrders.insert(order)
            number.withLock { $0 = taken }
            try Notification.add(.orderReceived, for: order.providerID, mode: task.mode, task: task.id,
                                 "New order of \"\(service.spec.title)\"; you can start once it is funded", nowMicros: order.createdAt, stores)
        }
        guard let source else {
            return try await store.write { [task] stores in
                try TaskService.record(task, stores)
                try recording(stores)
                return PlacedOrder(order: order.numbered(number.withLock { $0 }), task: task, funding: nil)
            }
        }
        let pipeline = FundingPipeline(settlement: settlement, work: work, tasks: tasks)
        return try await pipeline.post(task, from: source, by: caller, recording: recording) { funded in
            PlacedOrder(order: order.numbered(number.withLock { $0 }), task: funded.task, funding: funded.funding)
        }
    }

    /// The caller's order as buyer or provider, with its task and funding; anyone else's is "not found".
    public func order(_ orderID: String, for caller: Principal) throws(MarketplaceError) -> PlacedOrder {
        try caller.require(.tasksRead)
        return try store.read { stores in
            guard let order = try stores.serviceOrders.fetch(taskID: orderID), caller.userID == order.buyerID || caller.userID == order.providerID,
                  let task = try stores.tasks.fetch(orderID), task.mode == caller.mode else {
                throw MarketplaceError.notFound("no order \(orderID)")
            }
            return PlacedOrder(order: order, task: task, funding: try stores.fundings.committed(of: orderID))
        }
    }

    /// The caller's orders, as buyer or as provider, newest first.
    public func orders(for caller: Principal, limit: Int = 50) throws(MarketplaceError) -> [PlacedOrder] {
        try caller.require(.tasksRead)
        guard (1...ServiceFilter.limitMax).contains(limit) else {
            throw .validation(field: "limit", message: "limit must be 1 to \(ServiceFilter.limitMax)")
        }
        return try store.read { stores in
            try stores.serviceOrders.list(user: caller.userID, mode: caller.mode, limit: limit).compactMap { order in
                guard let task = try stores.tasks.fetch(order.taskID) else { return nil }
                return PlacedOrder(order: order, task: task, funding: try stores.fundings.committed(of: order.taskID))
            }
        }
    }

    /// The task an order of `service` is: the service's text, category, location and price; the
    /// buyer's instructions as its description when given.
    func orderDraft(_ service: MarketService, _ request: OrderRequest) throws(MarketplaceError) -> TaskDraft {
        let spec = service.spec
        let hours = try Self.hours(request.hours, for: spec)
        let instructions = try request.instructions.map { (text) throws(MarketplaceError) -> String in
            try TaskDraft.text(text, field: "instructions", max: TaskDraft.descriptionLengthMax)
        }
        let (dueMicros, overflow) = clock.nowMicros().addingReportingOverflow(Int64(spec.deliveryDays) * Self.dayMicros)
        guard !overflow else { throw .internalError("the delivery date of \(service.id) overflows") }
        return TaskDraft(title: spec.title, description: instructions ?? spec.description, category: spec.category,
                         taskType: "service_order", locationType: spec.locationType.rawValue, address: spec.location,
                         budget: .init(amount: MinorUnits.format(spec.priceMinor, scale: spec.asset.scale), currency: spec.asset.code,
                                       type: spec.priceType.rawValue, estimatedHours: hours),
                         deadline: Timestamps.format(dueMicros))
    }

    static let dayMicros: Int64 = 86_400_000_000

    /// Hours are required for an hourly service and refused for a fixed price.
    static func hours(_ hours: Int?, for spec: ServiceSpec) throws(MarketplaceError) -> Int? {
        guard spec.priceType == .hourly else {
            guard hours == nil else { throw .validation(field: "hours", message: "the service has a fixed price; leave out hours") }
            return nil
        }
        guard let hours else { throw .validation(field: "hours", message: "the service is priced by the hour: say how many hours") }
        guard (1...TaskDraft.estimatedHoursMax).contains(hours) else {
            throw .validation(field: "hours", message: "hours must be 1 to \(TaskDraft.estimatedHoursMax)")
        }
        let (total, overflow) = spec.priceMinor.multipliedReportingOverflow(by: Int64(hours))
        guard !overflow, total <= TaskDraft.budgetUnitsMax * MinorUnits.factor(scale: spec.asset.scale) else {
            throw .validation(field: "hours", message: "the rate × hours must be at most \(TaskDraft.budgetUnitsMax) \(spec.asset.code)")
        }
        return hours
    }
}
