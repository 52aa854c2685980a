import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// The read-only ledger API driven through the real router, read as a client would.
struct LedgerRoutesTests {
    /// A ledger with a funded wallet (12.34 then 0.66 USD), the router over it, and the headers
    /// of an admin's session (the ledger's routes need finance:read, which only admins hold).
    private func app() async throws -> (some ApplicationProtocol, Ledger, ManualClock, HTTPFields) {
        let clock = ManualClock()
        let test = try await TestServices(clock: clock)
        let ledger = test.ledger
        let accounts = try await ledger.createAccounts([
            NewAccount(code: "equity:opening:USD", type: .equity, asset: .usd),
            NewAccount(code: "wallet:user:7:USD", type: .liability, asset: .usd, flags: .debitsMustNotExceedCredits, ownerKind: "user", ownerID: "7"),
            NewAccount(code: "wallet:user:7:USDC", type: .liability, asset: .usdc, flags: .debitsMustNotExceedCredits),
        ])
        _ = try await ledger.commit([.posted(id: TransferID(1), debit: accounts[0].id, credit: accounts[1].id, amountMinor: 1_234, asset: .usd)])
        clock.advance(seconds: 60)
        _ = try await ledger.commit([.posted(id: TransferID(2), debit: accounts[0].id, credit: accounts[1].id, amountMinor: 66, asset: .usd)])
        let app = Application(router: buildRouter(services: test.services, mode: "test"))
        let token = try await test.adminToken("finance@example.com")
        return (app, ledger, clock, [.authorization: "Bearer \(token)"])
    }

    private func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
    }

    private func errorDetail(_ buffer: ByteBuffer, _ key: String) throws -> String? {
        (try json(buffer)["error"] as? [String: Any])?[key] as? String
    }

    @Test func healthSaysTheMode() async throws {
        let (app, ledger, _, _) = try await app()
        defer { ledger.close() }
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect((body["data"] as? [String: Any])?["mode"] as? String == "test")
                #expect(body["success"] as? Bool == true)
            }
        }
    }

    @Test func anAccountShowsExactDecimalBalances() async throws {
        let (app, ledger, _, admin) = try await app()
        defer { ledger.close() }
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/ledger/accounts/wallet:user:7:USD", method: .get, headers: admin) { response in
                #expect(response.status == .ok)
                let data = try #require(try json(response.body)["data"] as? [String: Any])
                let balance = try #require(data["balance"] as? [String: Any])
                let available = try #require(balance["available"] as? [String: Any])
                #expect(available["amount"] as? String == "13.00")
                #expect(available["amount_minor"] as? Int == 1_300)
                #expect(data["constraints"] as? [String] == ["debits_must_not_exceed_credits"])
                #expect(data["owner_id"] as? String == "7")
            }
        }
    }

    @Test func anAccountAsOfATimeReplaysTheJournal() async throws {
        let (app, ledger, clock, admin) = try await app()
        defer { ledger.close() }
        let between = Timestamps.format(clock.now - 30_000_000)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/ledger/accounts/2?as_of=\(between)", method: .get, headers: admin) { response in
                let data = try #require(try json(response.body)["data"] as? [String: Any])
                let posted = try #require((data["balance"] as? [String: Any])?["posted"] as? [String: Any])
                #expect(posted["amount"] as? String == "12.34")
            }
            try await client.execute(uri: "/v1/ledger/accounts/2?as_of=yesterday", method: .get, headers: admin) { response in
                #expect(response.status == .badRequest)
                let error = try #require(try json(response.body)["error"] as? [String: Any])
                #expect(error["field"] as? String == "as_of")
                #expect(error["code"] as? String == "VALIDATION_ERROR")
            }
        }
    }

    @Test func statementsPageWithACursor() async throws {
        let (app, ledger, _, admin) = try await app()
        defer { ledger.close() }
        try await app.test(.router) { client in
            var cursor: String?
            try await client.execute(uri: "/v1/ledger/accounts/2/statement?limit=1", method: .get, headers: admin) { response in
                let data = try #require(try json(response.body)["data"] as? [String: Any])
                let entries = try #require(data["entries"] as? [[String: Any]])
                #expect(entries.count == 1)
                #expect(entries[0]["side"] as? String == "credit")
                #expect(((entries[0]["transfer"] as? [String: Any])?["money"] as? [String: Any])?["amount"] as? String == "12.34")
                #expect(data["has_more"] as? Bool == true)
                cursor = data["next_cursor"] as? String
            }
            let next = try #require(cursor)
            try await client.execute(uri: "/v1/ledger/accounts/2/statement?limit=1&cursor=\(next)", method: .get, headers: admin) { response in
                let data = try #require(try json(response.body)["data"] as? [String: Any])
                let entries = try #require(data["entries"] as? [[String: Any]])
                #expect(((entries[0]["transfer"] as? [String: Any])?["money"] as? [String: Any])?["amount"] as? String == "0.66")
                #expect(data["has_more"] as? Bool == false)
            }
            try await client.execute(uri: "/v1/ledger/accounts/2/statement?cursor=garbage", method: .get, headers: admin) { response in
                #expect(response.status == .badRequest)
                let detail = try errorDetail(response.body, "field")
                #expect(detail == "cursor")
            }
        }
    }

    @Test func listingFiltersByAssetAndRefusesBadInput() async throws {
        let (app, ledger, _, admin) = try await app()
        defer { ledger.close() }
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/ledger/accounts?asset=USDC", method: .get, headers: admin) { response in
                let data = try #require(try json(response.body)["data"] as? [[String: Any]])
                #expect(data.map { $0["code"] as? String } == ["wallet:user:7:USDC"])
            }
            for (query, field) in [("asset=EUR", "asset"), ("limit=0", "limit"), ("limit=1001", "limit"), ("after=x", "after")] {
                try await client.execute(uri: "/v1/ledger/accounts?\(query)", method: .get, headers: admin) { response in
                    #expect(response.status == .badRequest, "\(query)")
                    let detail = try errorDetail(response.body, "field")
                #expect(detail == field, "\(query)")
                }
            }
            try await client.execute(uri: "/v1/ledger/accounts/nope", method: .get, headers: admin) { response in
                #expect(response.status == .notFound)
                let detail = try errorDetail(response.body, "code")
                #expect(detail == "NOT_FOUND")
            }
            try await client.execute(uri: "/v1/no-such-route", method: .get) { response in
                #expect(response.status == .notFound)
                let success = try json(response.body)["success"] as? Bool
                #expect(success == false)
            }
        }
    }

    @Test func verifyReportsTheLedgerIsConsistent() async throws {
        let (app, ledger, _, admin) = try await app()
        defer { ledger.close() }
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/ledger/verify", method: .get, headers: admin) { response in
                let data = try #require(try json(response.body)["data"] as? [String: Any])
                #expect(data["consistent"] as? Bool == true)
                #expect(data["transfers_checked"] as? Int == 2)
                #expect((data["head"] as? String)?.count == 64)
            }
        }
    }

    @Test func theOpenAPIDocumentNamesExactlyTheServedRoutes() async throws {
        let test = try await TestServices()
        defer { test.close() }
        let router = buildRouter(services: test.services, mode: "test")
        let served = Set(router.routes.map(\.openAPIName))
        #expect(served.count > 40)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                let document = try json(response.body)
                #expect(document["openapi"] as? String == "3.1.0")
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
                #expect(documented.subtracting(served).isEmpty, "documented but not served")
                #expect(served.subtracting(documented).isEmpty, "served but not documented")
            }
            try await client.execute(uri: "/v1/not-a-route", method: .get) { response in
                let message = try errorDetail(response.body, "message") ?? ""
                #expect(message == "no route GET /v1/not-a-route")
            }
        }
    }
}

extension Router.RouteDescription {
    /// "POST /v1/tasks/{task}/fund": the method and the path as OpenAPI writes it.
    var openAPIName: String {
        let segments = path.description.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }
        let joined = segments.joined(separator: "/")
        return "\(method.rawValue) \(joined.hasPrefix("/") ? joined : "/" + joined)"
    }
}
