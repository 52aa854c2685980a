import Crypto
import Foundation
public import LedgerCore

/// A user's webhook endpoint as the API shows it (never its secret, after creation).
public struct WebhookEndpoint: Sendable, Hashable {
    public let id: String
    public let url: String
    /// The event types it receives; `["*"]` for all.
    public let events: [String]
    public let description: String?
    public let enabled: Bool
    public let failures: Int
    public let disabledReason: String?
    public let createdAt: Int64
    /// The format its deliveries are written in: "marketplace", or a dialect's.
    public let format: String
}

/// One delivery of one event to one target, and where it stands.
public struct WebhookDelivery: Sendable, Hashable {
    public let id: Int64
    public let eventID: String
    public let event: String
    public let taskID: String?
    public let state: String
    public let attempts: Int
    public let lastStatus: Int?
    public let lastError: String?
    public let nextAttemptAt: Int64
    public let deliveredAt: Int64?
}

/// What one POST to a receiver came to: its HTTP status, or why there was none.
public struct WebhookAttemptResult: Sendable, Equatable {
    public var status: Int?
    public var error: String?

    public init(status: Int?, error: String?) {
        self.status = status
        self.error = error
    }

    var succeeded: Bool { status.map { (200..<300).contains($0) } ?? false }
}

/// Sends one signed delivery over HTTP (AsyncHTTPClient at the edge; a loopback receiver in tests).
public protocol WebhookSender: Sendable {
    func post(url: String, headers: [(String, String)], body: [UInt8], timeoutSeconds: Int64) async -> WebhookAttemptResult
}

/// Webhook endpoints (create, list, update, delete; the secret shown once), their deliveries
/// and redelivery, and the dispatcher that drains the outbox.
public struct WebhookService: Sendable {
    public struct Policy: Sendable {
        /// Attempts in all before a delivery is failed.
        public var attemptsMax: Int
        /// The first retry waits this long; each next one twice as long (5 s, 10 s, 20 s, …).
        public var firstRetrySeconds: Int64
        public var timeoutSeconds: Int64
        /// Consecutive failed attempts after which an endpoint is disabled.
        public var disableAfterFailures: Int
        /// Targets on loopback, private or link-local addresses (tests and local rehearsal).
        public var allowPrivateTargets: Bool

        public init(attemptsMax: Int = 8, firstRetrySeconds: Int64 = 5, timeoutSeconds: Int64 = 30, disableAfterFailures: Int = 20,
                    allowPrivateTargets: Bool = false) {
            self.attemptsMax = attemptsMax
            self.firstRetrySeconds = firstRetrySeconds
            self.timeoutSeconds = timeoutSeconds
            self.disableAfterFailures = disableAfterFailures
            self.allowPrivateTargets = allowPrivateTargets
        }
    }

    static let descriptionLengthMax = 500
    static let endpointsPerUserMax = 20

    static let marketplaceFormat = "marketplace"

    let store: MarketplaceStore
    let clock: LedgerClock
    let sealingKey: SymmetricKey
    public let policy: Policy
    /// The dialects' formats by name (the marketplace's own is built in).
    let formats: [String: any WebhookFormat]

    /// `secretsKey`: 32 bytes that seal signing secrets at rest (AES-256-GCM). `formats`: the
    /// dialects' delivery formats endpoints may be made in.
    public init(store: MarketplaceStore, secretsKey: [UInt8], policy: Policy = .init(), clock: LedgerClock = .system, formats: [any WebhookFormat] = []) {
        precondition(secretsKey.count == 32, "the secrets key is 32 bytes")
        self.store = store
        sealingKey = SymmetricKey(data: secretsKey)
        self.policy = policy
        self.clock = clock
        self.formats = Dictionary(formats.map { ($0.name, $0) }) { first, _ in first }
    }

    // MARK: Endpoints

    /// Creates an endpoint; answers it with its signing secret, which is never shown again.
    /// With `format` (a dialect's), `events` are that format's names and its deliveries are
    /// written as the format says.
    public func create(url: String, events: [String], description: String?, format: String? = nil,
                       by caller: Principal) async throws(MarketplaceError) -> (WebhookEndpoint, secret: String) {
        try caller.require(.webhooks)
        let url = try WebhookURLPolicy.check(url, field: "url", allowPrivate: policy.allowPrivateTargets)
        let formatName = format ?? Self.marketplaceFormat
        let subscribed: [String]
        if let format {
            guard let known = formats[format] else { throw .internalError("no webhook format \(format) is installed") }
            subscribed = try Self.validated(try known.ourEvents(events.contains("*") ? Array(known.events.values) : events))
        } else {
            subscribed = try Self.validated(events)
        }
        let description = try Self.validated(description: description)
        let secret = Secrets.make(prefix: "whsec_")
        let sealed = try seal(secret)
        let now = clock.nowMicros()
        let id = Secrets.id("whe", nowMicros: now)
        let endpoint = try await store.write { stores in
            let count = try stores.webhookEndpoints.count(ofUser: caller.userID, mode: caller.mode)
            guard count < Self.endpointsPerUserMax else {
                throw MarketplaceError.limitExceeded(field: "url", message: "at most \(Self.endpointsPerUserMax) webhook endpoints per account and mode")
            }
            try stores.webhookEndpoints.insert(id: id, userID: caller.userID, mode: caller.mode, url: url, events: subscribed, description: description,
                                               secretSealed: sealed, format: formatName, nowMicros: now)
            return try Self.fetch(id, user: caller.userID, mode: caller.mode, stores)
        }
        return (endpoint, secret)
    }

    public func list(by caller: Principal) throws(MarketplaceError) -> [WebhookEndpoint] {
        try caller.require(.webhooks)
        return try store.read { stores in try stores.webhookEndpoints.list(userID: caller.userID, mode: caller.mode) }
    }

    /// Changes what was given; `enabled: true` turns a disabled endpoint back on (its failure count reset).
    public func update(_ id: String, url: String?, events: [String]?, description: String?, enabled: Bool?,
                       by caller: Principal) async throws(MarketplaceError) -> WebhookEndpoint {
        try caller.require(.webhooks)
        let url = try url.map { (text) throws(MarketplaceError) -> String in try WebhookURLPolicy.check(text, field: "url", allowPrivate: policy.allowPrivateTargets) }
        let events = try events.map { (list) throws(MarketplaceError) -> [String] in try Self.validated(list) }
        let description = try Self.validated(description: description)
        let now = clock.nowMicros()
        return try await store.write { stores in
            _ = try Self.fetch(id, user: caller.userID, mode: caller.mode, stores)
            try stores.webhookEndpoints.update(id, url: url, events: events, description: description, enabled: enabled, nowMicros: now)
            return try Self.fetch(id, user: caller.userID, mode: caller.mode, stores)
        }
    }

    /// Deletes an endpoint; its pending deliveries are failed, never sent.
    public func delete(_ id: String, by caller: Principal) async throws(MarketplaceError) -> WebhookEndpoint {
        try caller.require(.webhooks)
        return try await store.write { stores in
            let endpoint = try Self.fetch(id, user: caller.userID, mode: caller.mode, stores)
            try stores.outbox.detach(endpoint: id)
            try stores.webhookEndpoints.delete(id)
            return endpoint
        }
    }

    public func deliveries(of id: String, by caller: Principal, limit: Int = 100) throws(MarketplaceError) -> [WebhookDelivery] {
        try caller.require(.webhooks)
        return try store.read { stores in
            _ = try Self.fetch(id, user: caller.userID, mode: caller.mode, stores)
            return try stores.outbox.deliveries(to: id, limit: min(max(limit, 1), 500))
        }
    }

    /// Sends a delivery again (whatever its state), as soon as the dispatcher runs.
    public func redeliver(_ deliveryID: Int64, of id: String, by caller: Principal) async throws(MarketplaceError) -> WebhookDelivery {
        try caller.require(.webhooks)
        let now = clock.nowMicros()
        return try await store.write { stores in
            _ = try Self.fetch(id, user: caller.userID, mode: caller.mode, stores)
            guard try stores.outbox.redeliver(deliveryID, to: id, nowMicros: now), let delivery = try stores.outbox.delivery(deliveryID) else {
                throw MarketplaceError.notFound("no delivery \(deliveryID) for endpoint \(id)")
            }
            return delivery
        }
    }

    /// Makes (or replaces) the secret that signs the caller's task callback_url deliveries; shown once.
    public func rotateCallbackSecret(by caller: Principal) async throws(MarketplaceError) -> String {
        try caller.require(.webhooks)
        let secret = Secrets.make(prefix: "whsec_")
        let sealed = try seal(secret)
        let now = clock.nowMicros()
        try await store.write { stores in
            try stores.webhookCallbackSecrets.save(userID: caller.userID, mode: caller.mode, secretSealed: sealed, nowMicros: now)
        }
        return secret
    }

    // MARK: Validation

    static func validated(_ events: [String]) throws(MarketplaceError) -> [String] {
        guard !events.isEmpty, events.count <= WebhookEvent.allCases.count + 1 else {
            throw .validation(field: "events", message: "events lists the event types to receive (or \"*\" for all)")
        }
        for event in events where event != "*" && WebhookEvent(rawValue: event) == nil {
            throw .validation(field: "events", message: "unknown event \"\(event.prefix(64))\"; known: \(WebhookEvent.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return Array(Set(events)).sorted()
    }

    static func validated(description: String?) throws(MarketplaceError) -> String? {
        guard let description else { return nil }
        guard description.count <= descriptionLengthMax else {
            throw .validation(field: "description", message: "description is at most \(descriptionLengthMax) characters")
        }
        return description
    }

    static func fetch(_ id: String, user: String, mode: Mode, _ stores: Stores) throws -> WebhookEndpoint {
        guard let endpoint = try stores.webhookEndpoints.fetch(id, userID: user, mode: mode) else {
            throw MarketplaceError.notFound("no webhook endpoint \(id)")
        }
        return endpoint
    }

    // MARK: Secrets at rest

    func seal(_ secret: String) throws(MarketplaceError) -> String {
        do {
            let box = try AES.GCM.seal(Array(secret.utf8), using: sealingKey, authenticating: Array("marketplace webhook secret v1".utf8))
            guard let combined = box.combined else { throw MarketplaceError.internalError("sealing produced no bytes") }
            return "v1:" + combined.base64EncodedString()
        } catch { throw .internalError("cannot seal a webhook secret: \(error)") }
    }

    func open(_ sealed: String) throws(MarketplaceError) -> String {
        guard sealed.hasPrefix("v1:"), let combined = Data(base64Encoded: String(sealed.dropFirst(3))) else {
            throw .internalError("a sealed webhook secret is malformed")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            return String(decoding: try AES.GCM.open(box, using: sealingKey, authenticating: Array("marketplace webhook secret v1".utf8)), as: UTF8.self)
        } catch { throw .internalError("a webhook secret does not open with this secrets key") }
    }
}
