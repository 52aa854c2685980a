import Hummingbird
import Marketplace

/// One-call agent sign-up (seed 003's `POST /agents/register`): an agent account and its
/// test-mode API key, whose secret this answer alone carries. Limited like the other sign-ups
/// (`RateLimits.EndpointClass.auth`) and never stored under an Idempotency-Key.
struct AgentsController: Sendable {
    let auth: AuthService

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.post("register", use: register)
    }

    struct RegisterRequest: Decodable {
        let name: String
        let email: String
        let password: String?
        let referralCode: String?
    }

    /// The account and its key; `api_key.secret` is shown here only.
    struct RegisteredAgentView: Encodable, Sendable {
        let user: UserView
        let apiKey: CreatedKey
    }

    @Sendable func register(_ request: Request, context: APIContext) async throws -> EditedResponse<Envelope<RegisteredAgentView>> {
        let body = try await RequestBody.decode(RegisterRequest.self, from: request, context: context)
        let registered = try await auth.registerAgent(AgentRegistration(name: body.name, email: body.email, password: body.password,
                                                                                    referralCode: body.referralCode))
        return EditedResponse(status: .created, response: Envelope(RegisteredAgentView(user: UserView(registered.user), apiKey: registered.key)))
    }
}
