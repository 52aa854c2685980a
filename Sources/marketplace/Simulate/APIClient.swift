import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// JSON over HTTP to the API under test, as an agent's or a worker's own client sends it.
struct APIClient: Sendable {
    let http: HTTPClient
    let baseURL: String

    /// The longest answer read; the API's answers to the simulation are a few kilobytes.
    static let responseBytesMax = 1 << 20
    static let timeout = TimeAmount.seconds(60)

    struct Response: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: ByteBuffer

        var text: String { String(buffer: body) }
    }

    /// One request; `body` is sent as JSON.
    func send(_ method: HTTPMethod, _ path: String, token: String?, body: [UInt8]? = nil,
              headers: [(String, String)] = []) async throws -> Response {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await http.execute(request, timeout: Self.timeout)
        let bytes = try await response.body.collect(upTo: Self.responseBytesMax)
        return Response(status: Int(response.status.code), headers: response.headers, body: bytes)
    }

    /// Sends `payload` and answers the `data` of the success envelope; any status outside
    /// `expect` is an error naming `step`.
    func call<Answer: Decodable>(_ step: String, _ method: HTTPMethod, _ path: String, token: String?, payload: some Encodable,
                                 headers: [(String, String)] = [], expect: Set<Int> = [200]) async throws -> Answer {
        let body = try Array(Self.encoder.encode(payload))
        return try Self.data(of: try await send(method, path, token: token, body: body, headers: headers), step: step, expect: expect)
    }

    /// The same without a body.
    func call<Answer: Decodable>(_ step: String, _ method: HTTPMethod, _ path: String, token: String?, expect: Set<Int> = [200]) async throws -> Answer {
        try Self.data(of: try await send(method, path, token: token), step: step, expect: expect)
    }

    static func data<Answer: Decodable>(of response: Response, step: String, expect: Set<Int>) throws -> Answer {
        guard expect.contains(response.status) else { throw SimulationError.unexpected(step: step, status: response.status, body: response.text) }
        return try decode(Envelope<Answer>.self, from: response, step: step).data
    }

    static func decode<Answer: Decodable>(_ type: Answer.Type, from response: Response, step: String) throws -> Answer {
        do { return try decoder.decode(type, from: Data(response.body.readableBytesView)) } catch {
            throw SimulationError.unexpected(step: "\(step) (reading the answer: \(error))", status: response.status, body: response.text)
        }
    }

    /// The API's success envelope.
    struct Envelope<Payload: Decodable>: Decodable { let data: Payload }

    /// For answers whose content the simulation does not need.
    struct Ignored: Decodable {}

    /// snake_case on the wire, as the API speaks; amounts are read as integers of minor units.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()
}

/// Why a run stopped.
enum SimulationError: Error, CustomStringConvertible {
    /// The API answered something a correct server would not.
    case unexpected(step: String, status: Int, body: String)
    /// Something did not settle within its limit.
    case stalled(String)
    /// The run's own records disagree with what the API or the ledger say.
    case mismatch(String)

    var description: String {
        switch self {
        case .unexpected(let step, let status, let body): "\(step): HTTP \(status): \(body.prefix(500))"
        case .stalled(let what): "did not settle: \(what)"
        case .mismatch(let what): "mismatch: \(what)"
        }
    }
}
