import Hummingbird
import Marketplace

/// Register, log in, refresh, who am I, is this email free.
struct AuthController: Sendable {
    let auth: AuthService
    let defaultMode: Mode

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.post("register", use: register)
        group.post("login", use: login)
        group.post("refresh", use: refresh)
        group.get("me", use: me)
        group.get("check-email", use: checkEmail)
    }

    struct RegisterRequest: Decodable {
        let email: String
        let password: String
        let fullName: String
        let role: String
        let referralCode: String?
    }

    @Sendable func register(_ request: Request, context: APIContext) async throws -> EditedResponse<Envelope<UserView>> {
        let body = try await RequestBody.decode(RegisterRequest.self, from: request, context: context)
        let user = try await auth.register(Registration(email: body.email, password: body.password, fullName: body.fullName, role: body.role,
                                                                  referralCode: body.referralCode))
        return EditedResponse(status: .created, response: Envelope(UserView(user)))
    }

    struct LoginRequest: Decodable {
        let email: String
        let password: String
        let mode: String?
    }

    @Sendable func login(_ request: Request, context: APIContext) async throws -> Envelope<SessionView> {
        let body = try await RequestBody.decode(LoginRequest.self, from: request, context: context)
        let mode = try body.mode.map { name in
            guard let mode = Mode(rawValue: name) else { throw APIError.validation("mode must be test or live", field: "mode") }
            return mode
        } ?? defaultMode
        return Envelope(SessionView(try await auth.login(email: body.email, password: body.password, mode: mode)))
    }

    struct RefreshRequest: Decodable {
        let refreshToken: String
    }

    @Sendable func refresh(_ request: Request, context: APIContext) async throws -> Envelope<SessionView> {
        let body = try await RequestBody.decode(RefreshRequest.self, from: request, context: context)
        return Envelope(SessionView(try await auth.refresh(body.refreshToken)))
    }

    struct Me: Encodable, Sendable {
        let user: UserView
        let mode: Mode
        let scopes: [Scope]
        let credential: String
    }

    @Sendable func me(_ request: Request, context: APIContext) async throws -> Envelope<Me> {
        let caller = try context.requirePrincipal()
        let user = try auth.user(caller.userID)
        let credential = switch caller.credential {
        case .apiKey(let id): "api_key:\(id)"
        case .taskToken(let taskID): "task_token:\(taskID)"
        case .session: "session"
        }
        return Envelope(Me(user: UserView(user), mode: caller.mode, scopes: caller.scopes.sorted(), credential: credential))
    }

    struct EmailAvailability: Encodable, Sendable {
        let email: String
        let available: Bool
    }

    @Sendable func checkEmail(_ request: Request, context: APIContext) async throws -> Envelope<EmailAvailability> {
        let email = request.uri.queryParameters["email"].map(String.init) ?? ""
        return Envelope(EmailAvailability(email: email, available: try auth.isEmailAvailable(email)))
    }
}
