public import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import LoopbackServer

/// Serves a `FakeStripe` on loopback HTTP (a port the system picks) for as long as `body` runs.
public enum FakeStripeServer {
    public static func run<T: Sendable>(_ fake: FakeStripe, _ body: @Sendable (_ baseURL: String) async throws -> T) async throws -> T {
        try await LoopbackServer.run(Responder(fake: fake), body)
    }

    /// POSTs a delivery of `event` to `url` as Stripe's webhook sender does; returns the status.
    public static func deliver(_ event: FakeEvent, of fake: FakeStripe, to url: String, http: HTTPClient = .shared) async throws -> Int {
        let delivery = fake.delivery(of: event)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "Stripe-Signature", value: delivery.header)
        request.headers.add(name: "User-Agent", value: "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
        request.body = .bytes(ByteBuffer(bytes: delivery.payload))
        let response = try await http.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    struct Responder: RouterMiddleware {
        typealias Context = BasicRequestContext
        let fake: FakeStripe

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let (status, responseHeaders, bytes) = fake.handle(method: request.method.rawValue, target: request.uri.description, headers: headers,
                                                                body: Array(buffer: body))
            var fields = HTTPFields()
            for (name, value) in responseHeaders { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
            return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
