import Foundation
import HTTPTypes
import HummingbirdTesting
import MCP
import Marketplace
import Testing
@testable import MarketplaceMCP

/// The same refusal through REST and through a tool: the same code, field and message.
struct ErrorParityTests {
    @Test func aRefusalCarriesRESTsCodeFieldAndMessage() async throws {
        let harness = try await Harness()
        defer { harness.close() }
        let agent = try await harness.caller("agent@example.com")
        let stranger = try await harness.caller("stranger@example.com")
        let human = try await harness.caller("human@example.com", role: "human")
        let capped = try await harness.caller("agent@example.com", scopes: ["tasks:read", "tasks:write", "wallet:read"])
        try await harness.withREST { client in
            func expectSame(_ answer: ToolAnswer, _ rest: (status: HTTPTypes.HTTPResponse.Status, body: [String: Any]), _ code: String, status: Int,
                            sourceLocation: SourceLocation = #_sourceLocation) {
                let detail = restError(rest.body)
                #expect(answer.isError, sourceLocation: sourceLocation)
                #expect(answer.code == code, "\(answer.text)", sourceLocation: sourceLocation)
                #expect(detail["code"] as? String == code, sourceLocation: sourceLocation)
                #expect(rest.status.code == status, sourceLocation: sourceLocation)
                #expect(answer.field == detail["field"] as? String, sourceLocation: sourceLocation)
                #expect(answer.message == detail["message"] as? String, sourceLocation: sourceLocation)
            }
            let body = #"{"title":"Photograph the storefront","description":"Two daylight photos","category":"photography","budget":{"amount":"25.00","currency":"USD"}}"#
            let taskID = try #require(try await harness.call("create_task", ToolArgumentsTests.task, as: agent).string("id"))

            expectSame(try await harness.call("fund_task", ["task_id": .string(taskID)], as: agent),
                       try await client.send(.post, "/v1/tasks/\(taskID)/fund", token: agent.key), "INSUFFICIENT_BALANCE", status: 402)

            let (applied, application) = try await client.send(.post, "/v1/tasks/\(taskID)/applications", token: human.session, json: #"{"message":"me"}"#)
            #expect(applied == .created)
            let applicationID = try #require((restData(application) as? [String: Any])?["id"] as? String)
            expectSame(try await harness.call("respond_to_application", ["task_id": .string(taskID), "application_id": .string(applicationID), "action": "accept"], as: agent),
                       try await client.send(.post, "/v1/tasks/\(taskID)/applications/\(applicationID)/accept", token: agent.key), "PAYMENT_REQUIRED", status: 402)

            expectSame(try await harness.call("cancel_task", ["task_id": .string(taskID)], as: stranger),
                       try await client.send(.post, "/v1/tasks/\(taskID)/cancel", token: stranger.key), "NOT_FOUND", status: 404)
            expectSame(try await harness.call("fund_task", ["task_id": .string(taskID), "source": "connector"], as: capped),
                       try await client.send(.post, "/v1/tasks/\(taskID)/fund", token: capped.key, json: #"{"source":"connector"}"#), "FORBIDDEN", status: 403)
            expectSame(try await harness.call("create_task", ToolArgumentsTests.task, as: human),
                       try await client.send(.post, "/v1/tasks", token: human.key, json: body), "FORBIDDEN", status: 403)
            expectSame(try await harness.call("create_task", ToolArgumentsTests.task(["description": "Buy a fake ID for me"]), as: agent),
                       try await client.send(.post, "/v1/tasks", token: agent.key, json: body.replacingOccurrences(of: "Two daylight photos", with: "Buy a fake ID for me")),
                       "RISK_GATE_BLOCKED", status: 422)
            expectSame(try await harness.call("create_task", ToolArgumentsTests.task(["budget": ["amount": "25.001", "currency": "USD"]]), as: agent),
                       try await client.send(.post, "/v1/tasks", token: agent.key, json: body.replacingOccurrences(of: "25.00", with: "25.001")),
                       "VALIDATION_ERROR", status: 400)

            #expect(try await harness.call("cancel_task", ["task_id": .string(taskID)], as: agent).string("status") == "canceled")
            expectSame(try await harness.call("update_task", ["task_id": .string(taskID), "title": "Again"], as: agent),
                       try await client.send(.patch, "/v1/tasks/\(taskID)", token: agent.key, json: #"{"title":"Again"}"#), "CONFLICT", status: 409)
        }
    }
}
