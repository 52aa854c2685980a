public import AsyncHTTPClient
import Foundation
public import Marketplace
import NIOCore
import NIOHTTP1

/// Posts webhook deliveries with AsyncHTTPClient; no redirects are followed (a receiver that
/// moved must be updated, not followed into a private network).
public struct HTTPWebhookSender: WebhookSender {
    let http: HTTPClient

    /// One client for the process, never shut down (as HTTPClient.shared), that follows no redirects.
    public static let withoutRedirects = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                             configuration: .init(redirectConfiguration: .disallow))

    public init(http: HTTPClient = Self.withoutRedirects) {
        self.http = http
    }

    public func post(url: String, headers: [(String, String)], body: [UInt8], timeoutSeconds: Int64) async -> WebhookAttemptResult {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await http.execute(request, timeout: .seconds(timeoutSeconds))
            _ = try? await response.body.collect(upTo: 64 * 1_024)
            return WebhookAttemptResult(status: Int(response.status.code), error: nil)
        } catch {
            return WebhookAttemptResult(status: nil, error: "\(error)")
        }
    }
}
