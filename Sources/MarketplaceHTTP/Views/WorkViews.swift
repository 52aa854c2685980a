import Marketplace

/// A worker profile on the wire.
struct ProfileView: Encodable, Sendable {
    let userId: String
    let displayName: String
    let headline: String?
    let city: String?
    let country: String?
    let skills: [String]
    let available: Bool
    let verified: Bool
    let updatedAt: String

    init(_ profile: WorkerProfile) {
        userId = profile.userID
        displayName = profile.displayName
        headline = profile.headline
        city = profile.city
        country = profile.country
        skills = profile.skills
        available = profile.available
        verified = profile.verified
        updatedAt = Timestamps.format(profile.updatedAt)
    }
}
