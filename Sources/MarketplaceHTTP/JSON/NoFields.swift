/// The body of a route that takes no fields: nothing, `{}` or `null` (an absent body). Any
/// member is an unknown field and is refused by name, so that nothing a client sends to such
/// a route (a `reason` on cancel, say) is silently dropped.
struct NoFields: Decodable {
    init(from decoder: any Decoder) throws {
        guard !(try decoder.singleValueContainer().decodeNil()) else { return }
        // Opening the object with no keys to ask for leaves every member unasked.
        _ = try decoder.container(keyedBy: NoKey.self)
    }

    private struct NoKey: CodingKey {
        var stringValue: String { "" }
        var intValue: Int? { nil }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { nil }
    }
}
