import BaseConnector
import BaseFake
import LedgerCore
import Marketplace
import MarketplaceHTTP
import NIOHTTP1
import StripeFake

/// A signed-up agent: the test-mode API key it works with, and its plan (payer key included).
struct AgentSession: Sendable {
    let plan: AgentPlan
    let key: String
}

/// A signed-up worker and the test-mode API key they work with.
struct WorkerSession: Sendable {
    let plan: WorkerPlan
    let key: String
}

/// Everyone in a run, each with an API key (keys do not expire mid-run as access tokens do);
/// the admin resolves disputes.
struct Participants: Sendable {
    let admin: String
    let agents: [AgentSession]
    let workers: [WorkerSession]
}

extension Simulation {
    static let password = "simulated password"
    static let scopes = ["tasks:read", "tasks:write", "wallet:read", "wallet:write"]

    func signUp() async throws -> Participants {
        let admin = try await signUpAdmin()
        let agents = try await concurrently(plan.agents) { agent in
            AgentSession(plan: agent, key: try await apiKey(for: try await session(email: agent.email, role: "agent"), of: agent.email))
        }
        let workers = try await concurrently(plan.workers) { worker in try await signUp(worker) }
        return Participants(admin: admin, agents: agents, workers: workers)
    }

    /// Registers and logs in (test mode); answers the access token.
    func session(email: String, role: String) async throws -> String {
        struct Registration: Encodable {
            let email: String
            let password: String
            let fullName: String
            let role: String
        }
        let _: APIClient.Ignored = try await world.api.call("register \(email)", .POST, "/v1/auth/register", token: nil,
                                                           payload: Registration(email: email, password: Self.password,
                                                                                 fullName: "Simulated \(email.prefix { $0 != "@" })", role: role),
                                                           expect: [200, 201])
        return try await logIn(email)
    }

    func logIn(_ email: String) async throws -> String {
        struct Login: Encodable {
            let email: String
            let password: String
            let mode: String
        }
        struct Tokens: Decodable { let accessToken: String }
        let tokens: Tokens = try await world.api.call("log in \(email)", .POST, "/v1/auth/login", token: nil,
                                                      payload: Login(email: email, password: Self.password, mode: "test"))
        return tokens.accessToken
    }

    /// A test-mode key, made from a logged-in session as a developer makes one.
    func apiKey(for session: String, of email: String) async throws -> String {
        struct NewKey: Encodable {
            let name: String
            let scopes: [String]
            let mode: String
        }
        struct CreatedKey: Decodable { let secret: String }
        let key: CreatedKey = try await world.api.call("create \(email)'s key", .POST, "/v1/keys", token: session,
                                                       payload: NewKey(name: "simulate", scopes: Self.scopes, mode: "test"), expect: [201])
        return key.secret
    }

    /// The admin's key: made after the grant, by a session opened after it.
    func signUpAdmin() async throws -> String {
        let email = "admin@simulate.invalid"
        _ = try await session(email: email, role: "agent")
        // What `marketplace admin grant` does: there is no API for it, on purpose.
        _ = try await world.services.auth.grantAdmin(email: email)
        return try await apiKey(for: try await logIn(email), of: email)
    }

    /// A worker links where their earnings go; the refused one's account and address are then
    /// made to refuse, at the fakes, as a restricted Connect account and a USDC blacklist do.
    func signUp(_ worker: WorkerPlan) async throws -> WorkerSession {
        struct Link: Encodable {
            var accountId: String?
            var baseAddress: String?
        }
        let key = try await apiKey(for: try await session(email: worker.email, role: "human"), of: worker.email)
        if worker.payouts != .walletOnly {
            let _: APIClient.Ignored = try await world.api.call("link \(worker.email)'s Connect account", .PUT, "/v1/payout-account", token: key,
                                                               payload: Link(accountId: worker.connectAccount))
            let _: APIClient.Ignored = try await world.api.call("link \(worker.email)'s Base address", .PUT, "/v1/payout-account", token: key,
                                                               payload: Link(baseAddress: worker.baseAddress.checksummed))
        }
        if worker.payouts == .refused {
            world.stripe.fake.removeTransfersCapability(of: worker.connectAccount)
            world.node.blacklistUSDC(worker.baseAddress)
        }
        return WorkerSession(plan: worker, key: key)
    }
}
