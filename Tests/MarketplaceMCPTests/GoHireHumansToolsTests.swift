import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import MCP
import Marketplace
import MarketplaceHTTP
import MarketplaceServer
import Testing
@testable import MarketplaceMCP

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Seed 000's MCP tools at /compat/gohirehumans/mcp, through the swift-sdk's own client: the
/// seven tools the document lists, in its order; create_job with the document's job bodies;
/// browse_jobs without a key.
struct GoHireHumansToolsTests {
    /// The document's remote job (seed 000, fixtures' "create a job (000)") as tool arguments.
    static let reviews: [String: Value] = [
        "title": "Summarize ten reviews", "description": "Read ten reviews and write a paragraph.", "category": "research",
        "location_type": "remote", "budget_amount": 12, "budget_type": "fixed",
    ]
    static let storefront: [String: Value] = [
        "title": "Photograph a storefront", "description": "Two photos of the facade and the opening hours sign.", "category": "photography",
        "location_type": "local", "budget_amount": "25.50", "budget_type": "fixed", "location": "Austin, TX",
        "deadline": "2026-02-07T18:00:00Z",
    ]

    @Test func theDocumentsToolsPostAndBrowseJobsToTheCent() async throws {
        let harness = try await Harness(clock: ManualClock())  // 2026-01-01: the document's deadline is ahead
        defer { harness.close() }
        let agent = try await harness.caller("agent@example.com")
        let app = Application(router: buildRouter(services: harness.services, mode: "test", rateLimits: .unlimited,
                                                  mounts: serverMounts(services: harness.services, mode: "test", rateLimits: .unlimited)),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { rest in
            let port = try #require(rest.port)
            let endpoint = URL(string: "http://127.0.0.1:\(port)/compat/gohirehumans/mcp")!
            let transport = HTTPClientTransport(endpoint: endpoint, streaming: false,
                                                requestModifier: { request in
                                                    var request = request
                                                    request.setValue("Bearer \(agent.key)", forHTTPHeaderField: "Authorization")
                                                    return request
                                                })
            let client = MCP.Client(name: "gohirehumans-agent", version: "1.0.0")
            _ = try await client.connect(transport: transport)
            let (tools, _) = try await client.listTools()
            #expect(tools.map(\.name) == ["search_services", "get_service_details", "get_categories", "browse_jobs", "create_job",
                                          "get_pricing_info", "get_platform_info"])

            func call(_ name: String, _ arguments: [String: Value]) async throws -> ToolAnswer {
                let (content, isError) = try await client.callTool(name: name, arguments: arguments)
                return try ToolAnswer(content: content, isError: isError)
            }
            let remote = try await call("create_job", Self.reviews)
            #expect(!remote.isError, "\(remote.text)")
            #expect(remote.string("status") == "open")
            #expect("\(remote["budget_amount"] ?? "")" == "12")
            let local = try await call("create_job", Self.storefront)
            #expect(!local.isError, "\(local.text)")
            #expect("\(local["budget_amount"] ?? "")" == "25.5")
            #expect(local.string("location") == "Austin, TX")

            // A fractional JSON number has been through a Double: refused, naming the field.
            let fractional = try await call("create_job", Self.reviews.merging(["budget_amount": 12.5]) { $1 })
            #expect(fractional.isError)
            #expect(fractional.field == "budget_amount")
            // Three decimals: refused by the domain, in the job's own name for the field.
            let cents = try await call("create_job", Self.reviews.merging(["budget_amount": "12.345"]) { $1 })
            #expect(cents.field == "budget_amount", "\(cents.text)")
            #expect(cents.message?.hasPrefix("budget_amount") == true, "\(cents.text)")
            // A local job without a location: refused, naming location, nothing posted.
            var nowhere = Self.storefront
            nowhere["location"] = nil
            let unplaced = try await call("create_job", nowhere)
            #expect(unplaced.field == "location")

            let research = try await call("browse_jobs", ["category": "research"])
            #expect("\(research["total"] ?? "")" == "1")
            let jobs = research["jobs"] as? [[String: Any]]
            #expect(jobs?.first?["title"] as? String == "Summarize ten reviews")
            let all = try await call("browse_jobs", [:])
            #expect("\(all["total"] ?? "")" == "2", "\(all.text)")
            await client.disconnect()

            // Without a key: the open jobs of the server's mode, and create_job is refused.
            let anonymous = MCP.Client(name: "gohirehumans-visitor", version: "1.0.0")
            _ = try await anonymous.connect(transport: HTTPClientTransport(endpoint: endpoint, streaming: false))
            let (seen, seenError) = try await anonymous.callTool(name: "browse_jobs", arguments: [:])
            #expect("\(try ToolAnswer(content: seen, isError: seenError)["total"] ?? "")" == "2")
            let (posted, postedError) = try await anonymous.callTool(name: "create_job", arguments: Self.reviews)
            #expect(try ToolAnswer(content: posted, isError: postedError).isError)
            await anonymous.disconnect()
        }
        #expect(try harness.ledger.verify().fault == nil)
    }
}
