import Foundation
import Hummingbird
import HTTPTypes
import MarketplaceHTTP

/// A dialect's own OpenAPI document at /compat/<name>/openapi.json: its paths below its base
/// URL, served as JSON sorted as /openapi.json is.
enum DialectDocument {
    /// A document of `paths` (as the mount gives them to /openapi.json, with the base URL)
    /// under `base`, with /v1's error envelope and security schemes, versioned as /openapi.json.
    static func document(title: String, base: String, paths: [String: Any]) -> [String: Any] {
        let main = OpenAPIDocument.json()
        let components = main["components"] as? [String: Any] ?? [:]
        let schemas = components["schemas"] as? [String: Any] ?? [:]
        return ["openapi": "3.1.0",
                "info": ["title": title, "version": (main["info"] as? [String: Any])?["version"] ?? ""],
                "servers": [["url": base]],
                "paths": Dictionary(uniqueKeysWithValues: paths.map { (String($0.key.dropFirst(base.count)), $0.value) }),
                "components": ["schemas": ["Error": schemas["Error"] ?? [:]], "securitySchemes": components["securitySchemes"] ?? [:]]]
    }

    static func response(_ document: [String: Any]) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
