import LedgerCore
import Marketplace

/// The people of a stress run: one agent and one worker per client, each with as many
/// test-mode API keys as a user may hold. Rate limits count per key, so a client takes its
/// tasks' keys in turn and the run measures the server, not the throttle. They are written straight into the new database before the server first starts
/// (the API's sign-up allows 30 a minute from one address; the run is about writes, not that).
struct StressPeople: Sendable {
    struct Pair: Sendable {
        let agentKeys: [String]
        let workerKeys: [String]
    }

    let pairs: [Pair]

    static let scopes = ["tasks:read", "tasks:write", "wallet:read", "wallet:write"]
    /// bcrypt's least cost: nobody logs in with these passwords, the keys are what is used.
    static let bcryptCost: UInt8 = 4

    static func seed(db: String, clients: Int, jwtSecret: [UInt8]) async throws -> StressPeople {
        let ledger = try Ledger(path: db)
        defer { ledger.close() }
        _ = try await ChartOfAccounts.standard.install(in: ledger)
        let store = try MarketplaceStore(ledger: ledger)
        defer { store.close() }
        let auth = AuthService(store: store, tokens: try await TokenIssuer(secret: jwtSecret), bcryptCost: bcryptCost)
        let service = KeyService(store: store)
        func keys(_ email: String, role: UserRole) async throws -> [String] {
            let user = try await auth.register(Registration(email: email, password: "stress password", fullName: "Stress", role: role.rawValue))
            let caller = Principal(userID: user.id, mode: .test, scopes: Set(Scope.allCases), credential: .session, role: role)
            var secrets: [String] = []
            for index in 0..<APIKey.activeKeysMax {
                secrets.append(try await service.create(for: caller, name: "stress \(index)", scopes: scopes, mode: "test").secret)
            }
            return secrets
        }
        var pairs: [Pair] = []
        for client in 0..<clients {
            pairs.append(Pair(agentKeys: try await keys("agent\(client)@stress.test", role: .agent),
                              workerKeys: try await keys("worker\(client)@stress.test", role: .human)))
        }
        return StressPeople(pairs: pairs)
    }
}
