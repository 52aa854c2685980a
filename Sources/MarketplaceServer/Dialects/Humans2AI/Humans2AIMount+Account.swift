import Foundation
import Hummingbird
import LedgerCore
import Marketplace
import MarketplaceHTTP
import MarketplaceViews

/// The caller's wallet and its history, their applications and referrals, notifications and
/// API keys: the /v1 service calls in the document's names.
extension Humans2AIMount {
    func addAccountRoutes(to group: RouterGroup<APIContext>) {
        group.get("wallet", use: wallet)
        group.get("wallet/transactions", use: transactions)
        group.get("my/applications", use: myApplications)
        group.get("my/referrals", use: referrals)
        group.get("notifications", use: notifications)
        group.patch("notifications", use: markNotifications)
        group.get("api-keys", use: keys)
        group.post("api-keys", use: createKey)
        group.delete("api-keys/{key}", use: revokeKey)
        addWebhookRoutes(to: group)
    }

    /// The USD wallet (the document's one currency), every figure from the ledger.
    struct WalletAnswer: Encodable, Sendable {
        let currency: String
        let balance: Decimal
        /// Held in the escrow of the caller's open tasks, and withdrawals not yet settled.
        let frozenBalance: Decimal
        /// Put into the escrow of the caller's tasks, and returned from it.
        let totalSpent: Decimal
        let totalRefunded: Decimal
        let totalEarned: Decimal
        let totalWithdrawn: Decimal
    }

    @Sendable func wallet(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<WalletAnswer> {
        let caller = try context.requirePrincipal()
        let usd = Asset.usd
        let totals = try services.settlement.totals(for: caller).first { $0.asset == usd }
        guard let wallet = try await services.settlement.wallets(for: caller).first(where: { $0.asset == usd }) else {
            throw MarketplaceError.internalError("no USD wallet")
        }
        func amount(_ minor: Int64?) -> Decimal { ExactDecimal.of(minor ?? 0, usd) }
        return Humans2AIAnswer(WalletAnswer(currency: usd.code, balance: amount(wallet.availableMinor), frozenBalance: amount(wallet.frozenMinor),
                                            totalSpent: amount(totals?.fundedMinor), totalRefunded: amount(totals?.refundedMinor),
                                            totalEarned: amount(totals?.earnedMinor), totalWithdrawn: amount(totals?.withdrawnMinor)))
    }

    struct TransactionAnswer: Encodable, Sendable {
        let id: String
        let type: String
        /// Positive into the wallet, negative out of it.
        let amount: Decimal
        let currency: String
        let reference: String?
        let createdAt: String

        init(_ transaction: WalletTransaction) {
            let transfer = transaction.entry.transfer
            let asset = Asset.withID(transfer.assetID) ?? .usd
            id = String(transfer.id.rawValue)
            type = transaction.type
            let magnitude = ExactDecimal.of(transfer.amountMinor, asset)
            amount = transaction.entry.isDebit ? -magnitude : magnitude
            currency = asset.code
            reference = transfer.metadata
            createdAt = Timestamps.format(transfer.timestamp)
        }
    }

    struct TransactionList: Encodable, Sendable {
        let transactions: [TransactionAnswer]
        let nextCursor: String?
    }

    /// The wallet's movements, oldest first: `type` (deposit, funding, refund, earning, …),
    /// `limit` and `cursor` (the ledger's statement cursor; the document names no scheme).
    @Sendable func transactions(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<TransactionList> {
        let caller = try context.requirePrincipal()
        let query = request.uri.queryParameters
        let limit = try MarketplaceHTTP.RequestBody.wholeNumber("limit", in: request, default: 50)
        let page = try await services.settlement.transactions(for: caller, asset: Asset.usd.code, type: query["type"].map(String.init),
                                                              cursor: query["cursor"].map(String.init), limit: limit)
        return Humans2AIAnswer(TransactionList(transactions: page.transactions.map(TransactionAnswer.init), nextCursor: page.nextCursor))
    }

    struct MyApplication: Encodable, Sendable {
        let application: ApplicationView
        let task: Humans2AITaskView?
    }

    /// The human's applications, each with its task.
    @Sendable func myApplications(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<[MyApplication]> {
        let caller = try context.requirePrincipal()
        let applications = try services.work.myApplications(for: caller)
        return Humans2AIAnswer(try applications.map { application in
            let task = try? services.tasks.task(application.taskID, for: caller)
            return MyApplication(application: ApplicationView(application), task: try task.map(view))
        })
    }

    struct ReferralsAnswer: Encodable, Sendable {
        struct Referred: Encodable, Sendable {
            let userId: String
            let displayName: String
            let role: String
            let createdAt: String
        }

        struct Stats: Encodable, Sendable {
            let totalReferrals: Int
            let rewardsEnabled: Bool
            let rewardsEarned: Decimal
        }

        let referralCode: String
        let referrals: [Referred]
        let stats: Stats
    }

    @Sendable func referrals(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<ReferralsAnswer> {
        let summary = try services.auth.referrals(for: try context.requirePrincipal())
        let earned = summary.rewardsEarned.first { $0.asset == .usd }?.minor ?? 0
        return Humans2AIAnswer(ReferralsAnswer(
            referralCode: summary.code,
            referrals: summary.referrals.map { .init(userId: $0.referredID, displayName: $0.fullName, role: $0.role.rawValue,
                                                     createdAt: Timestamps.format($0.createdAt)) },
            stats: .init(totalReferrals: summary.count, rewardsEnabled: summary.rewardsEnabled, rewardsEarned: ExactDecimal.of(earned, .usd))))
    }

    struct NotificationAnswer: Encodable, Sendable {
        let id: String
        let type: String
        let taskId: String?
        let message: String
        let read: Bool
        let createdAt: String

        init(_ notification: Marketplace.Notification) {
            id = notification.id
            type = notification.kind.rawValue
            taskId = notification.taskID
            message = notification.text
            read = notification.readAt != nil
            createdAt = Timestamps.format(notification.createdAt)
        }
    }

    /// The caller's notifications, newest first, with `unreadCount` beside `data`.
    @Sendable func notifications(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<[NotificationAnswer]> {
        let caller = try context.requirePrincipal()
        let (list, unread) = try services.messages.notifications(unreadOnly: request.uri.queryParameters["unread"] == "true", for: caller)
        return Humans2AIAnswer(list.map(NotificationAnswer.init), beside: ["unreadCount": unread])
    }

    struct MarkBody: Decodable {
        let ids: [String]?
        let all: Bool?
    }

    struct Marked: Encodable, Sendable { let marked: Int }

    /// Marks the named notifications read (`ids`), or all of them (`all: true`); one of the two.
    @Sendable func markNotifications(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<Marked> {
        let caller = try context.requirePrincipal()
        let body = try await MarketplaceHTTP.RequestBody.decodeCamelCase(MarkBody.self, from: request, context: context)
        if body.all == true, body.ids == nil {
            return Humans2AIAnswer(Marked(marked: try await services.messages.markAllRead(for: caller)))
        }
        guard let ids = body.ids, !ids.isEmpty, body.all == nil else {
            throw APIError.validation("send ids (a non-empty list) or all: true", field: "ids")
        }
        for id in ids { _ = try await services.messages.markRead(id, for: caller) }
        return Humans2AIAnswer(Marked(marked: ids.count))
    }

    struct KeyAnswer: Encodable, Sendable {
        let id: String
        let name: String
        let mode: String
        let scopes: [String]
        /// The secret redacted (`sk_live_…x9Qa`); `secret` is shown once, when made.
        let key: String
        let secret: String?
        let createdAt: String
        let revokedAt: String?

        init(_ key: APIKey, secret: String? = nil) {
            id = key.id
            name = key.name
            mode = key.mode.rawValue
            scopes = key.scopes.map(\.rawValue)
            self.key = key.redacted
            self.secret = secret
            createdAt = Timestamps.format(key.createdAt)
            revokedAt = key.revokedAt.map(Timestamps.format)
        }
    }

    /// The caller's keys (a logged-in session, as the document's dashboard is), redacted.
    @Sendable func keys(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<[KeyAnswer]> {
        Humans2AIAnswer(try services.keys.list(for: try context.requirePrincipal()).map { KeyAnswer($0) })
    }

    struct KeyBody: Decodable {
        let name: String
        /// The document's scopes (tasks:read, tasks:write, wallet:read, messages:read, messages:write); all of them by default.
        let scopes: [String]?
    }

    /// A key in the session's mode (sk_test_ in test mode, sk_live_ in live); the 11th active key is 400 LIMIT_EXCEEDED.
    @Sendable func createKey(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<KeyAnswer> {
        let caller = try context.requirePrincipal()
        let body = try await MarketplaceHTTP.RequestBody.decodeCamelCase(KeyBody.self, from: request, context: context)
        let scopes = body.scopes ?? ["tasks:read", "tasks:write", "wallet:read", "messages:read", "messages:write"]
        let created = try await services.keys.create(for: caller, name: body.name, scopes: scopes, mode: caller.mode.rawValue)
        return Humans2AIAnswer(KeyAnswer(created.key, secret: created.secret), status: .created)
    }

    @Sendable func revokeKey(_ request: Request, context: APIContext) async throws -> Humans2AIAnswer<KeyAnswer> {
        let caller = try context.requirePrincipal()
        try await MarketplaceHTTP.RequestBody.refuseFields(request, context: context)
        return Humans2AIAnswer(KeyAnswer(try await services.keys.revoke(try context.parameters.require("key"), for: caller)))
    }
}
