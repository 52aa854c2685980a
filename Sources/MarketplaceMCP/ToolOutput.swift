import Foundation
import MCP
import Marketplace
import MarketplaceViews

/// What a tool answers. Success: the payload as JSON text (snake_case keys, money as decimal
/// strings plus minor units, the same shapes as REST's `data`) and as structured content.
/// Failure: an MCP tool error (`isError: true`) whose body is REST's error body,
/// `{"success": false, "error": {"code", "message", "field"}}`, with the same codes.
enum ToolOutput {
    static func success(_ payload: some Encodable) throws -> CallTool.Result {
        let data = try encoder.encode(payload)
        return CallTool.Result(content: [.text(text: String(decoding: data, as: UTF8.self), annotations: nil, _meta: nil)],
                               structuredContent: Optional(try JSONDecoder().decode(Value.self, from: data)), isError: false)
    }

    /// A refusal as REST words it: the marketplace's code and field; an internal error's
    /// details stay in the server.
    static func failure(_ error: MarketplaceError) -> CallTool.Result {
        let message = if case .internalError = error { "internal error" } else { error.description }
        return failure(ToolRefusal(code: error.code, message: message, field: error.field))
    }

    static func failure(_ refusal: ToolRefusal) -> CallTool.Result {
        let body = ErrorBody(error: .init(code: refusal.code, message: refusal.message, field: refusal.field), details: refusal.details)
        guard let data = try? encoder.encode(body), let structured = try? JSONDecoder().decode(Value.self, from: data) else {
            let text = #"{"error":{"code":"INTERNAL_ERROR","message":"internal error"},"success":false}"#
            return CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], isError: true)
        }
        return CallTool.Result(content: [.text(text: String(decoding: data, as: UTF8.self), annotations: nil, _meta: nil)],
                               structuredContent: Optional(structured), isError: true)
    }

    static let internalError = ToolRefusal(code: "INTERNAL_ERROR", message: "internal error", field: nil)

    /// REST's JSON style: snake_case keys, sorted, slashes unescaped.
    static var encoder: JSONEncoder { JSONOutput.encoder(pretty: false) }

    private struct ErrorBody: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
            let field: String?
        }
        let success = false
        let error: Detail
        let details: Value?
    }
}

/// A refusal a tool reports beyond the marketplace's own errors: a USDC payment that did not
/// verify carries the requirements to pay against in `details`.
struct ToolRefusal: Error, Sendable {
    let code: String
    let message: String
    let field: String?
    var details: Value? = nil
}
