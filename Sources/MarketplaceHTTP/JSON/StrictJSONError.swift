/// Why a body is not acceptable JSON, and where: `field` is `body` for a syntax error and the
/// path of the member for a duplicate key (`location.lat`).
struct StrictJSONError: Error, Equatable, Sendable {
    let field: String
    let message: String
}
