import MCP
import Testing
@testable import MarketplaceMCP

/// The catalog `tools/list` publishes: the issue's tools, each with a description an agent can
/// act on and an input schema that refuses what it does not name.
struct ToolCatalogTests {
    static let issueTools = [
        "list_tasks", "get_task", "create_task", "update_task", "fund_task", "cancel_task", "list_applications", "respond_to_application",
        "list_submissions", "respond_to_submission", "list_messages", "send_message", "get_wallet", "list_transactions", "open_dispute",
        "get_categories", "get_pricing_info", "get_platform_info",
        "hide_task",  // seed 004's hidden tasks (issue 19)
        "list_milestones", "fund_milestone", "approve_milestone",  // seed 000's milestones (issue 19)
        // seed 000's services and orders (issue 19)
        "search_services", "get_service_details", "create_service", "order_service", "prepare_order_payment",
    ]

    @Test func theCatalogHoldsExactlyTheIssuesTools() {
        #expect(MarketplaceTools.definitions.map(\.tool.name).sorted() == Self.issueTools.sorted())
    }

    @Test func everyToolHasADescriptionAndAClosedObjectSchema() throws {
        for definition in MarketplaceTools.definitions {
            let tool = definition.tool
            #expect((tool.description ?? "").count >= 60, "\(tool.name): description too short to act on")
            let schema = try #require(tool.inputSchema.objectValue, "\(tool.name)")
            #expect(schema["type"] == "object", "\(tool.name)")
            #expect(schema["additionalProperties"] == false, "\(tool.name)")
            let properties = schema["properties"]?.objectValue ?? [:]
            for (name, property) in properties {
                #expect(property.objectValue?["description"]?.stringValue?.isEmpty == false, "\(tool.name).\(name) has no description")
            }
            for required in schema["required"]?.arrayValue ?? [] {
                #expect(properties[required.stringValue ?? ""] != nil, "\(tool.name) requires an undeclared \(required)")
            }
        }
    }
}
