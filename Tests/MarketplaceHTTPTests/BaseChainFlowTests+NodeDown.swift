import BaseConnector
import BaseFake
import Connectors
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LedgerCore
import Marketplace
import Testing
@testable import MarketplaceHTTP

/// A Base node that refuses connections: the request path answers 503 within its bound, and the
/// chain loop retries in the background.
extension BaseChainFlowTests {
    @Test func aPaidFundingAnswers503WithinTheBoundWhenTheNodeRefusesConnections() async throws {
        let fixture = try Self.fixture("v1-1050000-60s")
        let url = try await FakeBaseServer.refusingURL()
        // The standard retry policy and timeouts, as `marketplace serve` has them.
        let rpc = EthereumRPC(url: url)
        let chain = ChainPayments(chain: BaseChain(network: .baseSepolia, rpc: rpc, key: try HotWalletKey(privateKey: Self.hotKey)), mode: .test)
        let test = try await TestServices(chain: chain)
        defer { test.close() }
        let app = Application(router: buildRouter(services: test.services, mode: "test", rateLimits: .unlimited))
        try await app.test(.router) { client in
            let agent = try await client.session("agent@example.com")
            let task = try await client.createTask(agent, Self.usdcTask(budget: Self.fixtureBudget))
            var headers = HTTPFields()
            headers[.authorization] = "Bearer \(agent)"
            headers[.contentType] = "application/json"
            headers[HTTPField.Name(fixture.name)!] = fixture.value
            let started = ContinuousClock.now
            let status = try await client.execute(uri: "/v1/tasks/\(task)/fund", method: .post, headers: headers,
                                                  body: ByteBuffer(string: #"{"source":"usdc"}"#)) { $0.status }
            let elapsed = ContinuousClock.now - started
            print("node refusing connections: paid funding answered \(status.code) after \(elapsed)")
            #expect(status == .serviceUnavailable)
            #expect(elapsed < .seconds(ChainPayments.requestNodeSecondsMax) + .milliseconds(500), "answered after \(elapsed)")
        }
    }

    @Test func aPaidFundingAnswers503WithinTheBoundWhenTheNodeHangs() async throws {
        let fixture = try Self.fixture("v1-1050000-60s")
        let node = FakeBaseNode(network: .baseSepolia, startSeconds: ManualClock().now / 1_000_000)
        node.stallRequests(seconds: 5)  // longer than the bound, shorter than a graceful stop should wait
        try await FakeBaseServer.run(node) { url in
            let key = try HotWalletKey(privateKey: Self.hotKey)
            let chain = ChainPayments(chain: BaseChain(network: .baseSepolia, rpc: EthereumRPC(url: url), key: key), mode: .test)
            let test = try await TestServices(chain: chain)
            defer { test.close() }
            let app = Application(router: buildRouter(services: test.services, mode: "test", rateLimits: .unlimited))
            try await app.test(.router) { client in
                let agent = try await client.session("agent@example.com")
                let task = try await client.createTask(agent, Self.usdcTask(budget: Self.fixtureBudget))
                var headers = HTTPFields()
                headers[.authorization] = "Bearer \(agent)"
                headers[.contentType] = "application/json"
                headers[HTTPField.Name(fixture.name)!] = fixture.value
                let started = ContinuousClock.now
                let status = try await client.execute(uri: "/v1/tasks/\(task)/fund", method: .post, headers: headers,
                                                      body: ByteBuffer(string: #"{"source":"usdc"}"#)) { $0.status }
                let elapsed = ContinuousClock.now - started
                print("node hanging: paid funding answered \(status.code) after \(elapsed)")
                #expect(status == .serviceUnavailable)
                #expect(elapsed < .seconds(ChainPayments.requestNodeSecondsMax) + .milliseconds(500), "answered after \(elapsed)")
            }
            node.stallRequests(seconds: 0)
        }
    }
}
