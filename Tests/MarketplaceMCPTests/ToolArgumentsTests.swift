import MCP
import Marketplace
import Testing
@testable import MarketplaceMCP

/// Bad input, table-driven: every refusal is a tool error with VALIDATION_ERROR naming the
/// field, and nothing is written.
struct ToolArgumentsTests {
    static let budget: Value = ["amount": "25.00", "currency": "USD"]
    static let task: [String: Value] = ["title": "Photograph the storefront", "description": "Two daylight photos", "category": "photography",
                                        "budget": budget]

    static func task(_ changes: [String: Value]) -> [String: Value] { task.merging(changes) { $1 } }

    /// (tool, arguments, the field the refusal names). `TASK` in a string argument is replaced by a real task id.
    static let cases: [(String, [String: Value], String)] = [
        ("create_task", [:], "title"),
        ("create_task", task(["budget": ["amount": "25.00"]]), "budget.currency"),
        ("create_task", task(["budget": ["amount": 25, "currency": "USD"]]), "budget.amount"),
        ("create_task", task(["budget": ["amount": 25.5, "currency": "USD"]]), "budget.amount"),
        ("create_task", task(["budget": ["amount": "25.001", "currency": "USD"]]), "budget.amount"),
        ("create_task", task(["budget": ["amount": "0", "currency": "USD"]]), "budget.amount"),
        ("create_task", task(["budget": ["amount": "25.00", "currency": "EUR"]]), "budget.currency"),
        ("create_task", task(["budget": ["amount": "25.00", "currency": "USD", "tip": "1.00"]]), "budget.tip"),
        ("create_task", task(["price": "25.00"]), "price"),
        ("create_task", task(["category": "astrology"]), "category"),
        ("create_task", task(["title": 7]), "title"),
        ("create_task", task(["title": "   "]), "title"),
        ("create_task", task(["title": "Photo\u{0}graph"]), "title"),
        ("create_task", task(["description": "Two photos\u{1B}[31m"]), "description"),
        ("create_task", task(["required_deliverables": ["photo\u{7F}"]]), "required_deliverables[0]"),
        ("open_dispute", ["task_id": "TASK", "reason": "not done\u{85}"], "reason"),
        ("create_task", task(["required_deliverables": ["photo", 3]]), "required_deliverables[1]"),
        ("create_task", task(["required_deliverables": ["selfie"]]), "required_deliverables[0]"),
        ("create_task", task(["mock_operator": "yes"]), "mock_operator"),
        ("create_task", task(["deadline": "tomorrow"]), "deadline"),
        ("create_task", task(["location_type": "local"]), "address"),
        ("list_tasks", ["limit": 0], "limit"),
        ("list_tasks", ["limit": "5"], "limit"),
        ("list_tasks", ["status": "paid"], "status"),
        ("get_task", [:], "task_id"),
        ("update_task", ["task_id": "TASK", "title": ""], "title"),
        ("update_task", ["task_id": "TASK", "budget": budget], "budget"),
        ("fund_task", ["task_id": "TASK", "source": "bitcoin"], "source"),
        ("fund_task", ["task_id": "TASK", "success_url": "https://agent.example/ok"], "success_url"),
        ("fund_task", ["task_id": "TASK", "source": "wallet", "payment": "eyJ9"], "payment"),
        ("fund_task", ["task_id": "TASK", "payment": "not base64 at all"], "payment"),
        ("respond_to_application", ["task_id": "TASK", "application_id": "app_1", "action": "maybe"], "action"),
        ("respond_to_submission", ["task_id": "TASK", "action": "reject"], "reason"),
        ("respond_to_submission", ["task_id": "TASK", "action": "request_revision"], "feedback"),
        ("respond_to_submission", ["task_id": "TASK", "action": "approve", "feedback": "great"], "feedback"),
        ("list_messages", ["task_id": "TASK"], "with"),
        ("send_message", ["task_id": "TASK"], "body"),
        ("list_transactions", ["asset": "EUR"], "asset"),
        ("list_transactions", ["limit": 101], "limit"),
        ("open_dispute", ["task_id": "TASK"], "reason"),
        ("get_wallet", ["asset": "USD"], "asset"),
    ]

    @Test func badInputIsAValidationErrorNamingTheFieldAndWritesNothing() async throws {
        let harness = try await Harness()
        defer { harness.close() }
        let agent = try await harness.caller("agent@example.com")
        let created = try await harness.call("create_task", Self.task, as: agent)
        let taskID = try #require(created.string("id"))
        for (tool, arguments, field) in Self.cases {
            let resolved = arguments.mapValues { $0 == "TASK" ? Value.string(taskID) : $0 }
            let before = try harness.snapshot()
            let answer = try await harness.call(tool, resolved, as: agent)
            #expect(answer.isError, "\(tool) \(arguments) was accepted")
            #expect(answer.code == "VALIDATION_ERROR", "\(tool) \(arguments): \(answer.text)")
            #expect(answer.field == field, "\(tool) \(arguments): \(answer.text)")
            #expect(answer["success"] as? Bool == false)
            #expect(try harness.snapshot() == before, "\(tool) \(arguments) wrote something")
        }
    }

    @Test func anUnknownToolIsAProtocolErrorNotAToolAnswer() async throws {
        let harness = try await Harness()
        defer { harness.close() }
        let agent = try await harness.caller("agent@example.com")
        await #expect(throws: MCPError.self) { try await harness.tools.call("delete_everything", arguments: [:], by: agent.principal) }
    }

    @Test func moneyIsRefusedAsAJSONNumberEvenWhenItLooksExact() async throws {
        let harness = try await Harness()
        defer { harness.close() }
        let agent = try await harness.caller("agent@example.com")
        let answer = try await harness.call("create_task", Self.task(["budget": ["amount": 25, "currency": "USD"]]), as: agent)
        #expect(answer.field == "budget.amount")
        #expect(answer.message?.contains("decimal") == true)
        let accepted = try await harness.call("create_task", Self.task(["budget": ["amount": "0.10", "currency": "USD"]]), as: agent)
        #expect(accepted.isError == false)
        #expect(accepted.value("budget.amount_minor") as? Int == 10)
        #expect(accepted.string("budget.amount") == "0.10")
    }
}
