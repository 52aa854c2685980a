public import Connectors
import Foundation

/// x402's "exact" scheme on EVM chains, both wire versions, as coinbase/x402's specs and
/// clients write them:
///
/// - v1: a 402 body `{x402Version: 1, error, accepts: [requirements]}` whose requirements
///   name the network `base` / `base-sepolia` and the price as `maxAmountRequired`; the
///   client answers in the `X-PAYMENT` header; the server in `X-PAYMENT-RESPONSE`.
/// - v2: the same requirements base64-encoded in the `PAYMENT-REQUIRED` header, networks as
///   CAIP-2 (`eip155:8453`, `eip155:84532`) and the price as `amount`; the client answers in
///   `PAYMENT-SIGNATURE` (echoing the requirements it accepted); the server in `PAYMENT-RESPONSE`.
///
/// Headers carry base64 (standard alphabet, padded) of UTF-8 JSON. The payload is
/// `{signature, authorization: {from, to, value, validAfter, validBefore, nonce}}`, every
/// number a decimal string.
public enum X402 {
    public static let v1PaymentHeader = "X-PAYMENT"
    public static let v1ResponseHeader = "X-PAYMENT-RESPONSE"
    public static let v2RequiredHeader = "PAYMENT-REQUIRED"
    public static let v2PaymentHeader = "PAYMENT-SIGNATURE"
    public static let v2ResponseHeader = "PAYMENT-RESPONSE"

    /// What a task's funding costs, in x402's terms.
    public struct Requirements: Sendable, Hashable {
        public var network: String
        public var chainID: UInt64
        public var amountMinor: Int64
        public var payTo: String
        public var asset: String
        public var resource: String
        public var description: String
        public var maxTimeoutSeconds: Int64
        public var domainName: String
        public var domainVersion: String

        public var caip2Network: String { "eip155:\(chainID)" }

        /// The v1 402 body: `{x402Version, error, accepts}`.
        public func v1Body(error: String) -> [String: Any] {
            ["x402Version": 1, "error": error, "accepts": [[
                "scheme": "exact", "network": network, "maxAmountRequired": String(amountMinor), "resource": resource,
                "description": description, "mimeType": "application/json", "payTo": payTo, "maxTimeoutSeconds": maxTimeoutSeconds,
                "asset": asset, "extra": ["name": domainName, "version": domainVersion],
            ] as [String: Any]]]
        }

        /// The v2 PAYMENT-REQUIRED object.
        public func v2Object(error: String) -> [String: Any] {
            ["x402Version": 2, "error": error, "resource": ["url": resource, "description": description, "mimeType": "application/json"],
             "accepts": [[
                "scheme": "exact", "network": caip2Network, "amount": String(amountMinor), "asset": asset, "payTo": payTo,
                "maxTimeoutSeconds": maxTimeoutSeconds, "extra": ["name": domainName, "version": domainVersion],
             ] as [String: Any]]]
        }
    }

    /// A payment header as a client sent it.
    public struct Payment: Sendable, Hashable {
        public var version: Int
        public var network: String
        public var authorization: AuthorizationFields
    }

    /// Reads an `X-PAYMENT` (v1) or `PAYMENT-SIGNATURE` (v2) header; errors name the field.
    public static func payment(header: String, version: Int) throws(MarketplaceError) -> Payment {
        let field = version == 1 ? v1PaymentHeader : v2PaymentHeader
        guard header.utf8.count <= 16_384, let data = Data(base64Encoded: header.trimmingCharacters(in: .whitespaces)),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .validation(field: field, message: "\(field) must be base64 of a JSON object")
        }
        guard (object["x402Version"] as? NSNumber)?.intValue == version else {
            throw .validation(field: "x402Version", message: "\(field) carries x402Version \(version)")
        }
        let accepted = object["accepted"] as? [String: Any]
        let scheme = (version == 1 ? object["scheme"] : accepted?["scheme"]) as? String
        guard scheme == "exact" else { throw .validation(field: "scheme", message: "only the \"exact\" scheme is accepted") }
        guard let network = (version == 1 ? object["network"] : accepted?["network"]) as? String else {
            throw .validation(field: "network", message: "the payment names no network")
        }
        guard let payload = object["payload"] as? [String: Any], let signature = payload["signature"] as? String,
              let authorization = payload["authorization"] as? [String: Any] else {
            throw .validation(field: "payload", message: "payload must carry signature and authorization")
        }
        func text(_ name: String) throws(MarketplaceError) -> String {
            if let value = authorization[name] as? String { return value }
            throw .validation(field: "authorization.\(name)", message: "authorization.\(name) must be a string")
        }
        return Payment(version: version, network: network, authorization: AuthorizationFields(
            from: try text("from"), to: try text("to"), value: try text("value"), validAfter: try text("validAfter"),
            validBefore: try text("validBefore"), nonce: try text("nonce"), signature: signature))
    }

    /// The settlement response header's value: base64 of `{success, transaction, network, payer}`.
    public static func response(success: Bool, transaction: String?, network: String, payer: String?, errorReason: String? = nil) -> String {
        var object: [String: Any] = ["success": success, "transaction": transaction ?? "", "network": network]
        if let payer { object["payer"] = payer }
        if let errorReason { object["errorReason"] = errorReason }
        return encode(object)
    }

    /// Base64 of compact JSON with sorted keys.
    public static func encode(_ object: [String: Any]) -> String {
        // Plain dictionaries of strings, numbers and booleans always serialize.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return data.base64EncodedString()
    }
}
