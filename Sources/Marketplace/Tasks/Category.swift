/// The kinds of task the marketplace lists (GET /v1/categories).
public struct Category: Sendable, Hashable, Codable {
    public let id: String
    public let name: String
    public let description: String

    public static let all: [Category] = [
        Category(id: "photography", name: "Photography", description: "Photograph a place, product or document"),
        Category(id: "verification", name: "Verification", description: "Check that something exists or is as described"),
        Category(id: "delivery", name: "Pickup and delivery", description: "Collect or drop off an item"),
        Category(id: "research", name: "Research", description: "Find, read and summarize information"),
        Category(id: "data_entry", name: "Data entry", description: "Transcribe, label or tidy data"),
        Category(id: "errands", name: "Errands", description: "Small tasks in person"),
        Category(id: "writing", name: "Writing", description: "Write or edit text"),
        Category(id: "other", name: "Other", description: "Anything else a person can do"),
    ]

    static func named(_ id: String) -> Category? { all.first { $0.id == id } }
}
