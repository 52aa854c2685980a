import LedgerCore

/// Publishing, changing, searching and reading services (seed 000), and ordering them
/// (`ServiceCatalog+Orders`). Published services are read without credentials in the server's
/// mode; a service that is not published is seen by its provider only, and another's is "not
/// found". Test and live services never meet.
public struct ServiceCatalog: Sendable {
    let tasks: TaskService
    let settlement: SettlementService
    let work: WorkService

    var store: MarketplaceStore { tasks.store }
    var clock: LedgerClock { tasks.clock }

    public init(tasks: TaskService, settlement: SettlementService, work: WorkService) {
        self.tasks = tasks
        self.settlement = settlement
        self.work = work
    }

    /// Publishes a service the caller provides (any account: a human's work or an agent's AI
    /// service); its text passes the risk gate as a task's does.
    public func publish(_ draft: ServiceDraft, by caller: Principal) async throws(MarketplaceError) -> ListedService {
        try caller.require(.tasksWrite)
        let spec = try draft.validated()
        try screen(spec)
        let now = clock.nowMicros()
        let service = MarketService(id: Secrets.id("svc"), mode: caller.mode, providerID: caller.userID, status: .published, spec: spec,
                                    createdAt: now, updatedAt: now)
        return try await store.write { stores in
            try stores.services.insert(service)
            return ListedService(service: service, provider: try stores.services.provider(service.providerID))
        }
    }

    /// Changes the caller's service; only its provider may, in any status.
    public func update(_ id: String, with update: ServiceUpdate, by caller: Principal) async throws(MarketplaceError) -> ListedService {
        try caller.require(.tasksWrite)
        let now = clock.nowMicros()
        return try await store.write { stores in
            var service = try Self.provided(id, by: caller, stores)
            service.spec = try update.applied(to: service.spec)
            try screen(service.spec)
            service.updatedAt = now
            try stores.services.save(service)
            return ListedService(service: service, provider: try stores.services.provider(service.providerID))
        }
    }

    /// Publishes the caller's service again, or unpublishes it: out of searches and not
    /// orderable; orders placed before keep their tasks.
    public func setPublished(_ published: Bool, _ id: String, by caller: Principal) async throws(MarketplaceError) -> ListedService {
        try caller.require(.tasksWrite)
        let now = clock.nowMicros()
        return try await store.write { stores in
            var service = try Self.provided(id, by: caller, stores)
            service.status = published ? .published : .unpublished
            service.updatedAt = now
            try stores.services.save(service)
            return ListedService(service: service, provider: try stores.services.provider(service.providerID))
        }
    }

    /// One service: published ones for anyone (`caller` nil reads in `mode`), the caller's own
    /// in any status.
    public func service(_ id: String, for caller: Principal?, mode: Mode) throws(MarketplaceError) -> ListedService {
        try store.read { stores in
            let service = try Self.visible(id, to: caller, mode: mode, stores)
            return ListedService(service: service, provider: try stores.services.provider(service.providerID))
        }
    }

    /// A page of services matching `filter`, newest first; with an offset the answer counts
    /// the matches in all, as offset-paged APIs answer.
    public func search(_ filter: ServiceFilter, for caller: Principal?, mode: Mode) throws(MarketplaceError) -> ServicePage {
        let query = try ServicePageQuery(filter, mode: caller?.mode ?? mode, callerID: caller?.userID)
        var (services, count) = try store.read { stores in
            (try stores.services.page(query).map { ListedService(service: $0, provider: try stores.services.provider($0.providerID)) },
             try query.offset.map { _ in try stores.services.count(query) })
        }
        let hasMore = services.count > query.limit
        if hasMore { services.removeLast() }
        let cursor = hasMore ? services.last.map { ServicePageQuery.cursor($0.service) } : nil
        return ServicePage(services: services, hasMore: hasMore, nextCursor: cursor, count: count, offset: query.offset)
    }

    /// Screens a spec's free text through the task service's risk gate.
    func screen(_ spec: ServiceSpec) throws(MarketplaceError) {
        try tasks.riskGate.check([("title", spec.title), ("description", spec.description)])
    }

    /// The caller's own service; another's (or none) is "not found".
    static func provided(_ id: String, by caller: Principal, _ stores: Stores) throws -> MarketService {
        guard let service = try stores.services.fetch(id), service.mode == caller.mode, service.providerID == caller.userID else {
            throw MarketplaceError.notFound("no service \(id)")
        }
        return service
    }

    /// A service `caller` may read: published in the caller's mode (or `mode` without one), or the caller's own.
    static func visible(_ id: String, to caller: Principal?, mode: Mode, _ stores: Stores) throws -> MarketService {
        guard let service = try stores.services.fetch(id), service.mode == (caller?.mode ?? mode),
              service.status == .published || service.providerID == caller?.userID else {
            throw MarketplaceError.notFound("no service \(id)")
        }
        return service
    }
}
