import Foundation
import HTTPTypes
import Hummingbird
import LedgerCore
import Marketplace
import MarketplaceViews

/// USDC on Base at the edge: funding a task with an x402 payment (402 with the requirements,
/// then X-PAYMENT or PAYMENT-SIGNATURE), and the addresses agents deposit from.
struct ChainFundingController: Sendable {
    let settlement: SettlementService

    func addRoutes(to router: Router<APIContext>) {
        router.get("v1/deposit-addresses", use: listAddresses)
        router.post("v1/deposit-addresses", use: registerAddress)
    }

    static let v1Payment = HTTPField.Name(X402.v1PaymentHeader)!
    static let v2Payment = HTTPField.Name(X402.v2PaymentHeader)!

    /// True when the request carries an x402 payment header.
    static func carriesPayment(_ request: Request) -> Bool {
        request.headers[v1Payment] != nil || request.headers[v2Payment] != nil
    }

    /// POST /v1/tasks/{id}/fund with source usdc or an x402 payment header.
    func fund(_ taskID: String, _ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        var payment: X402.Payment?
        if let header = request.headers[Self.v2Payment] {
            payment = try api { try X402.payment(header: header, version: 2) }
        } else if let header = request.headers[Self.v1Payment] {
            payment = try api { try X402.payment(header: header, version: 1) }
        }
        let resource = "/v1/tasks/\(taskID)/fund"
        switch try await apiAsync({ try await settlement.fundByAuthorization(taskID, payment: payment, resource: resource, by: caller) }) {
        case .funded(let funding):
            return try Envelope(FundingView(funding)).response(from: request, context: context)
        case .paymentRequired(let requirements, let reason, let field):
            let error = reason ?? "\(X402.v1PaymentHeader) or \(X402.v2PaymentHeader) header is required"
            var body = requirements.v1Body(error: error)
            if let field { body["field"] = field }
            let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[HTTPField.Name(X402.v2RequiredHeader)!] = X402.encode(requirements.v2Object(error: error))
            return Response(status: .init(code: 402, reasonPhrase: "Payment Required"), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: Array(data))))
        case .settling(let task, let transaction, let payer, let network, let amountMinor):
            let version = payment?.version ?? 1
            let networkName = version == 1 ? network : payment?.network ?? network
            var response = try EditedResponse(status: .accepted, response: Envelope(SettlingView(
                taskId: task, status: "settling", transaction: transaction, payer: payer, network: network,
                amount: MoneyView(minor: amountMinor, asset: .usdc)))).response(from: request, context: context)
            let name = HTTPField.Name(version == 1 ? X402.v1ResponseHeader : X402.v2ResponseHeader)!
            response.headers[name] = X402.response(success: true, transaction: transaction, network: networkName, payer: payer)
            return response
        }
    }

    struct SettlingView: Encodable, Sendable {
        let taskId: String
        let status: String
        let transaction: String?
        let payer: String
        let network: String
        let amount: MoneyView
    }

    struct AddressBody: Decodable { let address: String }

    struct AddressView: Encodable, Sendable {
        let address: String
        let payTo: String
        let network: String
        let asset: String

        init(_ address: DepositAddress) {
            self.address = address.address
            payTo = address.payTo
            network = address.network
            asset = address.asset
        }
    }

    @Sendable func registerAddress(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try context.requirePrincipal()
        let body = try await RequestBody.decode(AddressBody.self, from: request, context: context)
        let address = try await apiAsync { try await settlement.registerDepositAddress(body.address, by: caller) }
        return try EditedResponse(status: .created, response: Envelope(AddressView(address))).response(from: request, context: context)
    }

    @Sendable func listAddresses(_ request: Request, context: APIContext) async throws -> Envelope<[AddressView]> {
        let caller = try context.requirePrincipal()
        return Envelope(try api { try settlement.depositAddresses(for: caller) }.map(AddressView.init))
    }
}
