import Hummingbird
import Marketplace
import LedgerCore

/// Read-only ledger endpoints: balances, one account (now or as of a time), statements, verify.
struct LedgerController: Sendable {
    let ledger: Ledger

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.get("accounts", use: listAccounts)
        group.get("accounts/:account", use: getAccount)
        group.get("accounts/:account/statement", use: statement)
        group.get("verify", use: verify)
    }

    @Sendable func listAccounts(_ request: Request, context: APIContext) async throws -> Envelope<[AccountView]> {
        let query = request.uri.queryParameters
        let asset = try query["asset"].map { code in
            guard let asset = Asset.named(String(code)) else { throw APIError.validation("unknown asset '\(code)'", field: "asset") }
            return asset
        }
        let after = try query["after"].map { text in
            guard let id = Int64(text), id >= 0 else { throw APIError.validation("after must be an account id", field: "after") }
            return AccountID(id)
        }
        let limit = try Self.limit(query["limit"].map(String.init), max: Ledger.accountsPageMax)
        let accounts = try ledger.accounts(after: after, limit: limit, asset: asset)
        return Envelope(accounts.map { AccountView($0) })
    }

    @Sendable func getAccount(_ request: Request, context: APIContext) async throws -> Envelope<AccountView> {
        let account = try findAccount(context)
        guard let asOf = request.uri.queryParameters["as_of"] else { return Envelope(AccountView(account)) }
        let micros: Int64
        do { micros = try Timestamps.parse(String(asOf)) } catch { throw APIError.validation(error.description, field: "as_of") }
        let balance = try ledger.balance(of: account.id, asOf: micros) ?? .zero
        return Envelope(AccountView(account, balance: balance))
    }

    @Sendable func statement(_ request: Request, context: APIContext) async throws -> Envelope<StatementView> {
        let account = try findAccount(context)
        let query = request.uri.queryParameters
        let cursor = try query["cursor"].map { text in
            guard let cursor = StatementCursor(String(text)) else { throw APIError.validation("cursor is not one this API returned", field: "cursor") }
            return cursor
        }
        let limit = try Self.limit(query["limit"].map(String.init), max: Ledger.statementPageMax)
        guard let page = try ledger.statement(of: account.id, after: cursor, limit: limit) else {
            throw APIError.notFound("no account \(account.id)")
        }
        return Envelope(StatementView(page))
    }

    @Sendable func verify(_ request: Request, context: APIContext) async throws -> Envelope<VerifyView> {
        Envelope(VerifyView(try ledger.verify()))
    }

    /// The account named by the `:account` path parameter, as an id or a chart-of-accounts code.
    private func findAccount(_ context: APIContext) throws -> Account {
        let key = try context.parameters.require("account")
        let account = try Int64(key).map { try ledger.account(AccountID($0)) } ?? ledger.account(code: key)
        guard let account else { throw APIError.notFound("no account '\(key)'") }
        return account
    }

    static func limit(_ text: String?, max: Int) throws -> Int {
        guard let text else { return min(100, max) }
        guard let value = Int(text), (1...max).contains(value) else {
            throw APIError.validation("limit must be a whole number from 1 to \(max)", field: "limit")
        }
        return value
    }
}
