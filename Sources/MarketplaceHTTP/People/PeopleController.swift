import Hummingbird
import Marketplace
import MarketplaceViews

/// A human's own profile and applications, and other workers' public profiles.
struct PeopleController: Sendable {
    let profiles: ProfileService
    let work: WorkService

    func addRoutes(to router: Router<APIContext>) {
        router.get("v1/profile", use: ownProfile)
        router.put("v1/profile", use: saveProfile)
        router.get("v1/workers/:user", use: workerProfile)
        router.get("v1/applications", use: myApplications)
    }

    @Sendable func ownProfile(_ request: Request, context: APIContext) async throws -> Envelope<ProfileView> {
        let caller = try context.requirePrincipal()
        return Envelope(ProfileView(try profiles.profile(of: caller.userID, for: caller)))
    }

    struct ProfileBody: Decodable {
        let displayName: String
        let headline: String?
        let city: String?
        let country: String?
        let skills: [String]?
        let available: Bool?
    }

    @Sendable func saveProfile(_ request: Request, context: APIContext) async throws -> Envelope<ProfileView> {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(ProfileBody.self, from: request, context: context)
        let draft = ProfileDraft(displayName: body.displayName, headline: body.headline, city: body.city, country: body.country,
                                 skills: body.skills ?? [], available: body.available ?? true)
        return Envelope(ProfileView(try await profiles.save(draft, by: caller)))
    }

    @Sendable func workerProfile(_ request: Request, context: APIContext) async throws -> Envelope<ProfileView> {
        let caller = try context.requirePrincipal()
        return Envelope(ProfileView(try profiles.profile(of: try context.parameters.require("user"), for: caller)))
    }

    @Sendable func myApplications(_ request: Request, context: APIContext) async throws -> Envelope<[ApplicationView]> {
        let caller = try context.requirePrincipal()
        return Envelope(try work.myApplications(for: caller).map { ApplicationView($0) })
    }
}

/// What only an admin does: resolve disputes and verify workers.
struct AdminController: Sendable {
    let settlement: SettlementService
    let profiles: ProfileService

    func addRoutes(to group: RouterGroup<APIContext>) {
        group.get("disputes", use: openDisputes)
        group.post("disputes/:dispute/resolve", use: resolve)
        group.post("workers/:user/verify", use: verify)
    }

    @Sendable func openDisputes(_ request: Request, context: APIContext) async throws -> Envelope<[DisputeView]> {
        let caller = try context.requirePrincipal()
        return Envelope(try settlement.openDisputes(for: caller).map(DisputeView.init))
    }

    struct ResolveBody: Decodable {
        let toWorker: ExactAmount
        let toPayer: ExactAmount?
        let resolution: String
    }

    @Sendable func resolve(_ request: Request, context: APIContext) async throws -> Envelope<DisputeView> {
        let caller = try context.requirePrincipal()
        try caller.requireAdmin()
        let body = try await RequestBody.decode(ResolveBody.self, from: request, context: context)
        let dispute = try await settlement.resolveDispute(try context.parameters.require("dispute"), toWorker: body.toWorker.text,
                                                          toPayer: body.toPayer?.text, resolution: body.resolution, by: caller)
        return Envelope(DisputeView(dispute))
    }

    struct VerifyBody: Decodable { let verified: Bool }

    @Sendable func verify(_ request: Request, context: APIContext) async throws -> Envelope<ProfileView> {
        let caller = try context.requirePrincipal()
        try caller.requireAdmin()
        let body = try await RequestBody.decode(VerifyBody.self, from: request, context: context)
        return Envelope(ProfileView(try await profiles.setVerified(body.verified, userID: try context.parameters.require("user"), by: caller)))
    }
}
