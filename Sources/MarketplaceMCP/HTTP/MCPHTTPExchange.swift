public import Foundation

/// One HTTP request to the MCP endpoint, as the web framework hands it over.
public struct MCPHTTPRequest: Sendable {
    public let method: String
    /// Header names in any case.
    public let headers: [String: String]
    public let body: Data

    public init(method: String, headers: [String: String], body: Data) {
        self.method = method
        self.headers = headers
        self.body = body
    }

    /// A header's value, whatever the case of its name.
    public func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// The answer to one MCP HTTP request, for the web framework to send.
public struct MCPHTTPReply: Sendable {
    public enum Body: Sendable {
        case none
        /// `application/json`: one JSON-RPC message.
        case json(Data)
        /// `text/event-stream`: the JSON-RPC message as one SSE `message` event, then the end.
        case eventStream(Data)
    }

    public let status: Int
    public var headers: [String: String]
    public let body: Body

    public init(status: Int, headers: [String: String] = [:], body: Body = .none) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body's bytes as they go on the wire.
    public var bytes: Data {
        switch body {
        case .none: Data()
        case .json(let data): data
        case .eventStream(let data):
            // One event; each line of the JSON gets its own data field, as SSE requires.
            Data(("event: message\n" + String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .map { "data: \($0)\n" }.joined() + "\n").utf8)
        }
    }

    /// The `Content-Type` the body needs, if any.
    public var contentType: String? {
        switch body {
        case .none: nil
        case .json: "application/json"
        case .eventStream: "text/event-stream"
        }
    }

    /// A JSON-RPC error answered at the HTTP layer, with the request's id when it has one.
    static func error(_ status: Int, code: Int, _ message: String, id: Any? = nil, headers: [String: String] = [:]) -> MCPHTTPReply {
        let object: [String: Any] = ["jsonrpc": "2.0", "id": id ?? NSNull(), "error": ["code": code, "message": message] as [String: Any]]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return MCPHTTPReply(status: status, headers: headers, body: .json(data))
    }
}
