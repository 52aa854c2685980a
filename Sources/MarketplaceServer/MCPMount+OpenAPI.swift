extension MCPMount {
    public var openAPIPaths: [String: Any] { ["/" + path: Self.mcpPath(operationPrefix: path == "v1/mcp" ? "mcp" : path.split(separator: "/")[1] + "Mcp")] }

    /// /v1/mcp in the document: MCP's streamable HTTP transport speaks JSON-RPC 2.0, not the REST
    /// envelope; the tools and their input schemas are what `tools/list` answers.
    static func mcpPath(operationPrefix prefix: String) -> [String: Any] {
        let secured: [[String: [String]]] = [["bearer": []]]
        let session: [String: Any] = ["name": "Mcp-Session-Id", "in": "header", "schema": ["type": "string"],
                                      "description": "The session initialize opened; required on every later request"]
        let jsonRPC: [String: Any] = ["type": "object", "required": ["jsonrpc"], "properties": ["jsonrpc": ["const": "2.0"]]]
        let message: [String: Any] = ["application/json": ["schema": jsonRPC], "text/event-stream": ["schema": ["type": "string"]]]
        return [
            "post": ["operationId": prefix + "Message", "security": secured, "parameters": [session],
                     "summary": "One JSON-RPC message (initialize, tools/list, tools/call, resources/list, resources/read, …); answered as application/json, or as one text/event-stream event when the client accepts only SSE",
                     "requestBody": ["required": true, "content": ["application/json": ["schema": jsonRPC]]],
                     "responses": ["200": ["description": "The JSON-RPC response", "content": message],
                                   "202": ["description": "A notification or response, accepted"],
                                   "400": ["description": "Not one JSON-RPC message, or no session header"],
                                   "401": ["description": "No or bad API key"], "404": ["description": "Unknown or ended session"],
                                   "406": ["description": "Accepts neither application/json nor text/event-stream"]]],
            "get": ["operationId": prefix + "Stream", "security": secured, "summary": "405: this server sends no unprompted messages",
                    "responses": ["405": ["description": "Method Not Allowed"], "401": ["description": "No or bad API key"]]],
            "delete": ["operationId": prefix + "EndSession", "security": secured, "parameters": [session], "summary": "End the session",
                       "responses": ["204": ["description": "Ended"], "404": ["description": "Unknown session"], "401": ["description": "No or bad API key"]]],
        ]
    }
}
