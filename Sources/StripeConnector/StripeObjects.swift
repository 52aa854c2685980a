/// The parts of Stripe's objects this connector reads. Amounts are integers in the currency's
/// minor unit, as Stripe sends them; ids are strings; anything optional in Stripe is optional here.
public enum Stripe {
    public struct CheckoutSession: Codable, Sendable, Equatable {
        public var id: String
        public var object: String
        public var url: String?
        /// open | complete | expired
        public var status: String?
        /// paid | unpaid | no_payment_required
        public var payment_status: String
        /// Null until the customer pays.
        public var payment_intent: String?
        public var amount_total: Int64?
        public var currency: String?
        public var client_reference_id: String?
        public var metadata: [String: String]?
        public var expires_at: Int64?
        public var livemode: Bool?
    }

    public struct PaymentIntent: Codable, Sendable, Equatable {
        public var id: String
        public var amount: Int64
        public var currency: String
        public var status: String
        /// The charge a Connect transfer can name as its source_transaction.
        public var latest_charge: String?
        public var metadata: [String: String]?
    }

    public struct Refund: Codable, Sendable, Equatable {
        public var id: String
        public var object: String
        public var amount: Int64
        public var currency: String
        public var payment_intent: String?
        public var charge: String?
        /// pending | requires_action | succeeded | failed | canceled; nullable in Stripe's spec
        /// (read as pending: nothing is known of its outcome yet).
        public var status: String?
        public var failure_reason: String?
        public var metadata: [String: String]?
    }

    public struct List<Item: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
        public var object: String
        public var data: [Item]
        public var has_more: Bool
    }

    public struct Charge: Codable, Sendable, Equatable {
        public var id: String
        public var object: String
        public var amount: Int64
        public var amount_refunded: Int64?
        public var payment_intent: String?
        public var refunds: List<Refund>?
    }

    public struct Transfer: Codable, Sendable, Equatable {
        public var id: String
        public var object: String
        public var amount: Int64
        public var amount_reversed: Int64?
        public var currency: String
        public var destination: String?
        public var transfer_group: String?
        public var source_transaction: String?
        public var reversed: Bool?
        public var metadata: [String: String]?
    }

    public struct TransferReversal: Codable, Sendable, Equatable {
        public var id: String
        public var object: String
        public var amount: Int64
        public var transfer: String
    }

    public struct BalanceTransaction: Codable, Sendable, Equatable {
        public var id: String
        public var object: String
        public var amount: Int64
        public var currency: String
        public var fee: Int64
        public var net: Int64
        /// charge | payment | refund | payment_refund | transfer | transfer_refund | stripe_fee | …
        public var type: String
        public var source: Source?
        public var created: Int64
        public var status: String?

        /// `source` as an id, or expanded (expand[]=data.source) into the object it names; only
        /// the fields that tie a line to the platform's own records are read.
        public struct Source: Codable, Sendable, Equatable {
            public var id: String
            public var paymentIntent: String?
            public var charge: String?
            public var transfer: String?

            public init(id: String, paymentIntent: String? = nil, charge: String? = nil, transfer: String? = nil) {
                self.id = id
                self.paymentIntent = paymentIntent
                self.charge = charge
                self.transfer = transfer
            }

            enum CodingKeys: String, CodingKey { case id, paymentIntent = "payment_intent", charge, transfer }

            public init(from decoder: any Decoder) throws {
                if let id = try? decoder.singleValueContainer().decode(String.self) {
                    self.init(id: id)
                    return
                }
                let object = try decoder.container(keyedBy: CodingKeys.self)
                self.init(id: try object.decode(String.self, forKey: .id), paymentIntent: try object.decodeIfPresent(String.self, forKey: .paymentIntent),
                          charge: try object.decodeIfPresent(String.self, forKey: .charge), transfer: try object.decodeIfPresent(String.self, forKey: .transfer))
            }
        }
    }

    /// An event as Stripe sends it to a webhook endpoint; `data.object` is read by type.
    public struct Event: Decodable, Sendable {
        public struct Body: Decodable, Sendable { public var object: AnyObject }
        public struct AnyObject: Decodable, Sendable { public var object: String? }

        public var id: String
        public var object: String
        public var type: String
        public var created: Int64
        public var livemode: Bool
        /// The API version the event's object is written in (the endpoint's, or the account's).
        public var api_version: String?
        public var data: Body
    }

    /// The same event with `data.object` read as `Object`.
    public struct TypedEvent<Object: Decodable & Sendable>: Decodable, Sendable {
        public struct Body: Decodable, Sendable { public var object: Object }
        public var data: Body
    }
}
