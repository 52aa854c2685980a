/// The document says what the server enforces: request bodies take no fields beyond the ones
/// described (`RequestBody` refuses unknown fields), and an API key may come as `X-API-Key`.
extension OpenAPIDocument {
    /// The header that carries an API key, as a security scheme beside `bearer`.
    static var apiKeyScheme: [String: Any] {
        ["type": "apiKey", "in": "header", "name": "X-API-Key",
         "description": "An API key sk_test_… / sk_live_…, the same as Authorization: Bearer with that key"]
    }

    /// `schemas` with every object a request body names closed (`additionalProperties: false`),
    /// nested objects and array items included; response schemas are left open.
    static func closingRequestBodies(_ schemas: [String: Any], paths: [String: Any]) -> [String: Any] {
        var schemas = schemas
        for name in requestBodyNames(paths) {
            if let schema = schemas[name] { schemas[name] = closed(schema) }
        }
        return schemas
    }

    /// The component names that operations take as request bodies.
    static func requestBodyNames(_ paths: [String: Any]) -> Set<String> {
        let prefix = "#/components/schemas/"
        return Set(paths.values.compactMap { $0 as? [String: Any] }.flatMap(\.values).compactMap { operation -> String? in
            let body = (operation as? [String: Any])?["requestBody"] as? [String: Any]
            let json = (body?["content"] as? [String: Any])?["application/json"] as? [String: Any]
            guard let ref = (json?["schema"] as? [String: Any])?["$ref"] as? String, ref.hasPrefix(prefix) else { return nil }
            return String(ref.dropFirst(prefix.count))
        })
    }

    private static func closed(_ schema: Any) -> Any {
        guard var object = schema as? [String: Any] else { return schema }
        if let properties = object["properties"] as? [String: Any] {
            object["properties"] = properties.mapValues(closed)
            if object["additionalProperties"] == nil { object["additionalProperties"] = false }
        }
        if let items = object["items"] { object["items"] = closed(items) }
        return object
    }
}
