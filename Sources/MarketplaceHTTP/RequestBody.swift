import Foundation
public import Hummingbird

/// Reads a JSON body with a size limit, strictly: the bytes must be exactly one RFC 8259 value
/// without duplicate keys (`StrictJSONParser`), the `Decodable` must accept it (`BodyDecoder`),
/// and every key must be one the `Decodable` asked for. Each refusal is a 400 naming the field.
public enum RequestBody {
    /// The largest JSON body accepted.
    static let bytesMax = 64 * 1024
    /// How many accepted keys an unknown-field message lists before it stops.
    static let allowedKeysListedMax = 25

    public static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        guard let value = try await decodeIfPresent(type, from: request, context: context) else {
            throw APIError.validation("the body is empty; this request takes a JSON object", field: FieldPath.root)
        }
        return value
    }

    /// `decode` for a dialect whose JSON names are camelCase (`applicationId`): the same strict
    /// reading, with the body's names and the refusals' fields spelled as the client sent them.
    public static func decodeCamelCase<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        guard let value = try await decodeCamelCaseIfPresent(type, from: request, context: context) else {
            throw APIError.validation("the body is empty; this request takes a JSON object", field: FieldPath.root)
        }
        return value
    }

    /// `decodeCamelCase` for a body that may be left out: an empty body is nil.
    public static func decodeCamelCaseIfPresent<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T? {
        var request = request
        let bytes = Array(try await collect(&request).readableBytesView)
        guard bytes.contains(where: { !" \t\r\n".utf8.contains($0) }) else { return nil }
        return try FieldPath.$camelCaseKeys.withValue(true) { try decode(type, from: bytes) }
    }

    /// For routes that take no body: nothing, `{}` or `null` passes; any field is refused by name.
    public static func refuseFields(_ request: Request, context: some RequestContext) async throws {
        _ = try await decodeIfPresent(NoFields.self, from: request, context: context)
    }

    /// Gathers the body (at most `bytesMax`) and keeps it in the request for whoever reads it next.
    public static func collect(_ request: inout Request) async throws -> ByteBuffer {
        do {
            return try await request.collectBody(upTo: bytesMax)
        } catch {
            throw APIError(.badRequest, code: "VALIDATION_ERROR", message: "the body is over \(bytesMax) bytes", field: FieldPath.root)
        }
    }

    /// A whole-number query parameter, or `fallback` when absent; the domain checks its range.
    public static func wholeNumber(_ name: String, in request: Request, default fallback: Int) throws -> Int {
        guard let text = request.uri.queryParameters[Substring(name)] else { return fallback }
        guard let value = Int(text) else { throw APIError.validation("\(name) must be a whole number", field: name) }
        return value
    }

    /// Like `decode`, but an empty body is nil (for routes whose body is optional).
    public static func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T? {
        var request = request
        let buffer = try await collect(&request)
        let bytes = Array(buffer.readableBytesView)
        guard bytes.contains(where: { !" \t\r\n".utf8.contains($0) }) else { return nil }
        return try decode(type, from: bytes)
    }

    /// The one place a body's bytes become a request value.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(APIError) -> T {
        let value: JSONValue
        do { value = try StrictJSONParser.parse(bytes) } catch { throw APIError.validation(error.message, field: error.field) }
        let usage = KeyUsage()
        let decoded: T
        do {
            decoded = try BodySingleValueContainer(decoder: BodyDecoder(value: value, codingPath: [], usage: usage)).decode(type)
        } catch let error as DecodingError {
            throw APIError.validation(message(error), field: field(error))
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError.validation("the body could not be read", field: FieldPath.root)
        }
        if let unknown = usage.firstUnasked(in: value) {
            let owner = unknown.object.isEmpty ? "this request" : unknown.object
            let allowed = unknown.allowed.prefix(allowedKeysListedMax).joined(separator: ", ")
            throw APIError.validation("unknown field '\(unknown.field)'; \(owner) takes \(allowed.isEmpty ? "no fields" : allowed)", field: unknown.field)
        }
        return decoded
    }

    private static func field(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): FieldPath.render(context.codingPath + [key])
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): FieldPath.render(context.codingPath)
        @unknown default: FieldPath.root
        }
    }

    private static func message(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): "\(FieldPath.render(context.codingPath + [key])) is required"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): context.debugDescription
        @unknown default: "the body could not be read"
        }
    }
}
