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

    /// The x402 payment a request carries (PAYMENT-SIGNATURE for v2, X-PAYMENT for v1), if any.
    static func payment(of request: Request) throws -> X402.Payment? {
        if let header = request.headers[v2Payment] { return try X402.payment(header: header, version: 2) }
        if let header = request.headers[v1Payment] { return try X402.payment(header: header, version: 1) }
        return nil
    }

    /// A USDC funding's outcome as x402 answers it: 402 with the requirements (v1 body, v2
    /// PAYMENT-REQUIRED header), 202 settling with the PAYMENT-RESPONSE / X-PAYMENT-RESPONSE
    /// header, or the funding.
    static func respond(_ outcome: FundingOutcome, payment: X402.Payment?, _ request: Request, context: APIContext) throws -> Response {
        switch outcome {
        case .funded(let funding, _):
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
        case .settling(let settling):
            let version = payment?.version ?? 1
            let networkName = version == 1 ? settling.network : payment?.network ?? settling.network
            var response = try EditedResponse(status: .accepted, response: Envelope(SettlingView(
                taskId: settling.taskID, status: "settling", transaction: settling.transaction, payer: settling.payer, network: settling.network,
                amount: MoneyView(minor: settling.amountMinor, asset: .usdc)))).response(from: request, context: context)
            let name = HTTPField.Name(version == 1 ? X402.v1ResponseHeader : X402.v2ResponseHeader)!
            response.headers[name] = X402.response(success: true, transaction: settling.transaction, network: networkName, payer: settling.payer)
            return response
        case .awaitingApproval, .checkout:
            throw APIError(.internalServerError, code: "INTERNAL_ERROR", message: "a USDC funding answered \(outcome)", field: nil)
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
        let address = try await settlement.registerDepositAddress(body.address, by: caller)
        return try EditedResponse(status: .created, response: Envelope(AddressView(address))).response(from: request, context: context)
    }

    @Sendable func listAddresses(_ request: Request, context: APIContext) async throws -> Envelope<[AddressView]> {
        let caller = try context.requirePrincipal()
        return Envelope(try settlement.depositAddresses(for: caller).map(AddressView.init))
    }
}
