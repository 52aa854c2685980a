import Foundation
import Hummingbird

/// Reads a JSON body with a size limit and turns decoding failures into 400s naming the field.
enum RequestBody {
    /// The largest JSON body accepted.
    static let bytesMax = 64 * 1024

    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: APIContext) async throws -> T {
        guard let value = try await decodeIfPresent(type, from: request, context: context) else {
            throw APIError.validation("the body is not valid JSON", field: "body")
        }
        return value
    }

    /// Gathers the body (at most `bytesMax`) and keeps it in the request for whoever reads it next.
    static func collect(_ request: inout Request) async throws -> ByteBuffer {
        do {
            return try await request.collectBody(upTo: bytesMax)
        } catch {
            throw APIError(.badRequest, code: "VALIDATION_ERROR", message: "the body is over \(bytesMax) bytes", field: "body")
        }
    }

    /// A whole-number query parameter, or `fallback` when absent; the domain checks its range.
    static func wholeNumber(_ name: String, in request: Request, default fallback: Int) throws -> Int {
        guard let text = request.uri.queryParameters[Substring(name)] else { return fallback }
        guard let value = Int(text) else { throw APIError.validation("\(name) must be a whole number", field: name) }
        return value
    }

    /// Like `decode`, but an empty body is nil (for routes whose body is optional).
    static func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request, context: APIContext) async throws -> T? {
        var request = request
        let buffer = try await collect(&request)
        guard buffer.readableBytesView.contains(where: { !" \t\r\n".utf8.contains($0) }) else { return nil }
        do {
            return try context.requestDecoder.decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIError.validation(message(error), field: field(error))
        }
    }

    private static func field(_ error: DecodingError) -> String {
        let path: [any CodingKey]
        switch error {
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        @unknown default: path = []
        }
        let names = path.map { $0.intValue.map { "[\($0)]" } ?? snakeCase($0.stringValue) }
        return names.isEmpty ? "body" : names.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    private static func message(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "\(snakeCase(key.stringValue)) is required"
        case .typeMismatch(let type, _): "expected \(type)"
        case .valueNotFound(let type, _): "expected \(type), got null"
        case .dataCorrupted(let context): context.codingPath.isEmpty ? "the body is not valid JSON" : context.debugDescription
        @unknown default: "the body could not be read"
        }
    }

    private static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { result, character in
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
    }
}
