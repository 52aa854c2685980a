/// A group of categories in the taxonomy: GET /v1/categories, the get_categories tool and the
/// marketplace://categories resource list categories group by group. Its `id` is a stable slug
/// like a category's.
public struct CategoryGroup: Sendable, Hashable, Encodable {
    public let id: String
    public let name: String

    /// Every group, in the order listings show them.
    public static let all: [CategoryGroup] = [
        CategoryGroup(id: "field_work", name: "Field work and errands"),
        CategoryGroup(id: "research_data", name: "Research and data"),
        CategoryGroup(id: "writing_language", name: "Writing and language"),
        CategoryGroup(id: "design_creative", name: "Design and creative"),
        CategoryGroup(id: "software_tech", name: "Software and tech"),
        CategoryGroup(id: "business_admin", name: "Business and admin"),
        CategoryGroup(id: "home_personal", name: "Home and personal"),
        CategoryGroup(id: "other", name: "Other"),
    ]

    /// The categories of this group, in taxonomy order.
    public var categories: [Category] { Category.all.filter { $0.group == id } }

    enum CodingKeys: String, CodingKey { case id, name, categories }

    /// A group is shown with its categories: `{id, name, categories: [...]}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(categories, forKey: .categories)
    }
}
