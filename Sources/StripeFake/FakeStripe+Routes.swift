/// The endpoints, each checking its parameters as Stripe does (unknown ones refused, the
/// missing or wrong one named in `param`).
extension FakeStripe {
    static func route(method: String, path: String, params: [String: String], pairs: [(String, String)],
                      in state: inout State) -> (Int, [UInt8]) {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.first == "v1" else { return (404, error("invalid_request_error", code: nil, "Unrecognized request URL (\(method): \(path)).", param: nil)) }
        let s = Array(parts.dropFirst())
        switch (method, s.count) {
        case ("POST", 2) where s == ["checkout", "sessions"]: return createSession(params, pairs, &state)
        case ("GET", 3) where s[0...1] == ["checkout", "sessions"]:
            guard let session = state.sessions[s[2]] else { return missing("checkout.session", s[2]) }
            return (200, session.json.bytes)
        case ("POST", 4) where s[0...1] == ["checkout", "sessions"] && s[3] == "expire":
            guard var session = state.sessions[s[2]] else { return missing("checkout.session", s[2]) }
            guard session.status == "open" else {
                return invalid("Only Checkout Sessions with a status in [\"open\"] can be expired.", code: nil, param: nil)
            }
            session.status = "expired"
            state.sessions[s[2]] = session
            emit("checkout.session.expired", session.json, in: &state)
            return (200, session.json.bytes)
        case ("GET", 2) where s[0] == "payment_intents":
            guard let intent = state.paymentIntents[s[1]] else { return missing("payment_intent", s[1]) }
            return (200, intent.json.bytes)
        case ("POST", 1) where s == ["refunds"]: return createRefund(params, pairs, &state)
        case ("GET", 2) where s[0] == "refunds":
            guard let refund = state.refunds[s[1]] else { return missing("refund", s[1]) }
            return (200, refund.json.bytes)
        case ("GET", 2) where s[0] == "transfers":
            guard let transfer = state.transfers[s[1]] else { return missing("transfer", s[1]) }
            return (200, transfer.json.bytes)
        case ("POST", 1) where s == ["transfers"]: return createTransfer(params, pairs, &state)
        case ("POST", 3) where s[0] == "transfers" && s[2] == "reversals": return createReversal(s[1], params, pairs, &state)
        case ("GET", 1) where s == ["balance_transactions"]: return listBalance(params, pairs, &state)
        default:
            return (404, error("invalid_request_error", code: nil, "Unrecognized request URL (\(method): \(path)).", param: nil))
        }
    }

    private static func missing(_ object: String, _ id: String) -> (Int, [UInt8]) {
        (404, error("invalid_request_error", code: "resource_missing", "No such \(object): '\(id)'", param: "id"))
    }

    private static func invalid(_ message: String, code: String?, param: String?) -> (Int, [UInt8]) {
        (400, error("invalid_request_error", code: code, message, param: param))
    }

    /// The first parameter whose name is not one of `allowed` (exact names, or prefixes ending in "[").
    private static func unknown(_ pairs: [(String, String)], allowed: [String]) -> (Int, [UInt8])? {
        for (key, _) in pairs where !allowed.contains(where: { $0.hasSuffix("[") ? key.hasPrefix($0) : key == $0 }) {
            return invalid("Received unknown parameter: \(key)", code: "parameter_unknown", param: key)
        }
        return nil
    }

    private static func amount(_ params: [String: String], _ name: String) -> Int64? {
        guard let text = params[name], let value = Int64(text), value > 0, String(value) == text else { return nil }
        return value
    }

    private static func metadata(_ pairs: [(String, String)], prefix: String) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in pairs where key.hasPrefix(prefix + "[") && key.hasSuffix("]") {
            out[String(key.dropFirst(prefix.count + 1).dropLast())] = value
        }
        return out
    }

    private static func createSession(_ params: [String: String], _ pairs: [(String, String)], _ state: inout State) -> (Int, [UInt8]) {
        if let refusal = unknown(pairs, allowed: ["mode", "line_items[", "success_url", "cancel_url", "client_reference_id", "metadata[",
                                                  "payment_intent_data[metadata][", "expires_at", "customer_email"]) { return refusal }
        guard params["mode"] == "payment" else { return invalid("Missing required param: mode.", code: "parameter_missing", param: "mode") }
        let item = "line_items[0]"
        guard let currency = params["\(item)[price_data][currency]"], ["usd", "eur", "gbp"].contains(currency) else {
            return invalid("Invalid currency.", code: "parameter_invalid", param: "\(item)[price_data][currency]")
        }
        guard let unitAmount = amount(params, "\(item)[price_data][unit_amount]") else {
            return invalid("Invalid integer.", code: "parameter_invalid_integer", param: "\(item)[price_data][unit_amount]")
        }
        guard let name = params["\(item)[price_data][product_data][name]"], !name.isEmpty else {
            return invalid("Missing required param: product_data[name].", code: "parameter_missing", param: "\(item)[price_data][product_data][name]")
        }
        guard let quantity = amount(params, "\(item)[quantity]") else {
            return invalid("Missing required param: quantity.", code: "parameter_missing", param: "\(item)[quantity]")
        }
        guard let success = params["success_url"], success.hasPrefix("http") else {
            return invalid("Missing required param: success_url.", code: "parameter_missing", param: "success_url")
        }
        var expiresAt = state.now + 86_400
        if let text = params["expires_at"] {
            guard let value = Int64(text), value >= state.now + 1_800, value <= state.now + 86_400 else {
                return invalid("The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.",
                               code: "parameter_invalid", param: "expires_at")
            }
            expiresAt = value
        }
        let (total, overflow) = unitAmount.multipliedReportingOverflow(by: quantity)
        guard !overflow, total <= 99_999_999 else { return invalid("Amount too large.", code: "amount_too_large", param: "\(item)[price_data][unit_amount]") }
        let session = FakeSession(id: state.nextID("cs"), created: state.now, amountTotal: total, currency: currency, productName: name,
                                  clientReferenceID: params["client_reference_id"], metadata: metadata(pairs, prefix: "metadata"),
                                  paymentIntentMetadata: metadata(pairs, prefix: "payment_intent_data[metadata]"), expiresAt: expiresAt,
                                  successURL: success, cancelURL: params["cancel_url"])
        state.sessions[session.id] = session
        return (200, session.json.bytes)
    }

    private static func createRefund(_ params: [String: String], _ pairs: [(String, String)], _ state: inout State) -> (Int, [UInt8]) {
        if let refusal = unknown(pairs, allowed: ["payment_intent", "amount", "metadata[", "reason"]) { return refusal }
        guard let intentID = params["payment_intent"] else {
            return invalid("One of the following params should be provided for this request: payment_intent or charge.", code: "parameter_missing", param: "payment_intent")
        }
        guard let intent = state.paymentIntents[intentID] else { return missing("payment_intent", intentID) }
        guard let chargeID = intent.latestCharge, var charge = state.charges[chargeID] else {
            return invalid("This PaymentIntent does not have a successful charge to refund.", code: "charge_not_refundable", param: "payment_intent")
        }
        let remaining = charge.amount - charge.amountRefunded
        let value: Int64
        if params["amount"] == nil { value = remaining } else {
            guard let given = amount(params, "amount") else { return invalid("Invalid positive integer", code: "parameter_invalid_integer", param: "amount") }
            value = given
        }
        guard value <= remaining else {
            return invalid("Refund amount (\(value)) is greater than unrefunded amount on charge (\(remaining))", code: "amount_too_large", param: "amount")
        }
        charge.amountRefunded += value
        state.charges[chargeID] = charge
        var refund = FakeRefund(id: state.nextID("re"), created: state.now, amount: value, currency: charge.currency, paymentIntent: intentID,
                                charge: chargeID, status: "pending", metadata: metadata(pairs, prefix: "metadata"),
                                nullWhilePending: state.nullPendingRefundStatus)
        state.refunds[refund.id] = refund
        emit("refund.created", refund.json, in: &state)
        if state.refundStatus == "succeeded" { _ = succeed(&refund, in: &state) }
        return (200, refund.json.bytes)
    }

    private static func createTransfer(_ params: [String: String], _ pairs: [(String, String)], _ state: inout State) -> (Int, [UInt8]) {
        if let refusal = unknown(pairs, allowed: ["amount", "currency", "destination", "transfer_group", "source_transaction", "metadata[", "description"]) {
            return refusal
        }
        guard let value = amount(params, "amount") else { return invalid("Invalid positive integer", code: "parameter_invalid_integer", param: "amount") }
        guard let currency = params["currency"], ["usd", "eur", "gbp"].contains(currency) else {
            return invalid("Invalid currency.", code: "parameter_invalid", param: "currency")
        }
        guard let destination = params["destination"], destination.hasPrefix("acct_") else {
            return invalid("No such destination: '\(params["destination"] ?? "")'", code: "resource_missing", param: "destination")
        }
        guard !state.accountsWithoutTransfers.contains(destination) else {
            return invalid("Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments",
                           code: "insufficient_capabilities_for_transfer", param: "destination")
        }
        if let source = params["source_transaction"] {
            guard source.hasPrefix("ch_"), let charge = state.charges[source] else {
                return invalid("No such charge: '\(source)'", code: "resource_missing", param: "source_transaction")
            }
            guard value <= charge.amount else {
                return invalid("Transfer amount exceeds the source transaction's amount.", code: "amount_too_large", param: "amount")
            }
        }
        let id = state.nextID("tr")
        let txn = balance("transfer", amount: -value, fee: 0, currency: currency, source: id, in: &state)
        let transfer = FakeTransfer(id: id, created: state.now, amount: value, currency: currency, destination: destination,
                                    transferGroup: params["transfer_group"], sourceTransaction: params["source_transaction"],
                                    metadata: metadata(pairs, prefix: "metadata"), balanceTransaction: txn)
        state.transfers[id] = transfer
        emit("transfer.created", transfer.json, in: &state)
        return (200, transfer.json.bytes)
    }

    /// The object a balance transaction is about, as Stripe expands it (the fields reconciliation reads).
    private static func expandedSource(_ id: String, _ state: State) -> JSONValue {
        if let charge = state.charges[id] {
            return .object([.init("id", .string(id)), .init("object", .string("charge")), .init("amount", .int(charge.amount)),
                            .init("payment_intent", .string(charge.paymentIntent))])
        }
        if let refund = state.refunds[id] {
            return .object([.init("id", .string(id)), .init("object", .string("refund")), .init("amount", .int(refund.amount)),
                            .init("charge", .string(refund.charge)), .init("payment_intent", .string(refund.paymentIntent))])
        }
        if let transfer = state.transfers[id] {
            return .object([.init("id", .string(id)), .init("object", .string("transfer")), .init("amount", .int(transfer.amount))])
        }
        if let transfer = state.transfers.values.first(where: { $0.reversals.contains { $0.id == id } }) {
            return .object([.init("id", .string(id)), .init("object", .string("transfer_reversal")), .init("transfer", .string(transfer.id))])
        }
        return .string(id)
    }

    private static func createReversal(_ transferID: String, _ params: [String: String], _ pairs: [(String, String)],
                                       _ state: inout State) -> (Int, [UInt8]) {
        if let refusal = unknown(pairs, allowed: ["amount", "metadata[", "description"]) { return refusal }
        guard var transfer = state.transfers[transferID] else { return missing("transfer", transferID) }
        let remaining = transfer.amount - transfer.amountReversed
        let value: Int64
        if params["amount"] == nil { value = remaining } else {
            guard let given = amount(params, "amount") else { return invalid("Invalid positive integer", code: "parameter_invalid_integer", param: "amount") }
            value = given
        }
        guard value > 0, value <= remaining else {
            return invalid("The transfer \(transferID) has \(remaining) left to reverse.", code: "amount_too_large", param: "amount")
        }
        let id = state.nextID("trr")
        let txn = balance("transfer_refund", amount: value, fee: 0, currency: transfer.currency, source: id, in: &state)
        let reversal = FakeReversal(id: id, created: state.now, amount: value, currency: transfer.currency, transfer: transferID, balanceTransaction: txn)
        transfer.amountReversed += value
        transfer.reversals.append(reversal)
        state.transfers[transferID] = transfer
        emit("transfer.reversed", transfer.json, in: &state)
        return (200, reversal.json.bytes)
    }

    /// Newest first, as Stripe lists; `starting_after` continues after that id; `created[…]` filters.
    private static func listBalance(_ params: [String: String], _ pairs: [(String, String)], _ state: inout State) -> (Int, [UInt8]) {
        if let refusal = unknown(pairs, allowed: ["limit", "starting_after", "ending_before", "created[", "type", "expand["]) { return refusal }
        var limit = 10
        if let text = params["limit"] {
            guard let value = Int(text), (1...100).contains(value) else { return invalid("Invalid integer: \(text)", code: "parameter_invalid_integer", param: "limit") }
            limit = value
        }
        // Stripe expands `source` into the object a line is about (the charge with its payment
        // intent, the refund, the transfer or reversal) when asked with expand[]=data.source.
        let expand = pairs.contains { $0.0.hasPrefix("expand[") && $0.1 == "data.source" }
        if let other = pairs.first(where: { $0.0.hasPrefix("expand[") && $0.1 != "data.source" }) {
            return invalid("This property cannot be expanded (\(other.1)).", code: "parameter_invalid", param: "expand[]")
        }
        var items = Array(state.balance.reversed())
        for (name, keep) in [("gte", { (a: Int64, b: Int64) in a >= b }), ("gt", { $0 > $1 }), ("lte", { $0 <= $1 }), ("lt", { $0 < $1 })] {
            guard let text = params["created[\(name)]"] else { continue }
            guard let bound = Int64(text) else { return invalid("Invalid integer: \(text)", code: "parameter_invalid_integer", param: "created[\(name)]") }
            items = items.filter { keep($0.created, bound) }
        }
        if let type = params["type"] { items = items.filter { $0.type == type } }
        if let after = params["starting_after"] {
            guard let index = items.firstIndex(where: { $0.id == after }) else { return missing("balance_transaction", after) }
            items = Array(items[(index + 1)...])
        }
        let page = Array(items.prefix(limit))
        return (200, JSONValue.object([
            .init("object", .string("list")), .init("has_more", .bool(items.count > limit)), .init("url", .string("/v1/balance_transactions")),
            .init("data", .array(page.map { line in
                expand ? line.json(source: expandedSource(line.source, state)) : line.json
            })),
        ]).bytes)
    }
}
