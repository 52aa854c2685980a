/// Connector calls as the settlement service records and moves them, through the stores.
extension ConnectorCall {
    /// Records a new pending call in the caller's commit and answers it.
    static func insert(connector: String, kind: Kind, taskID: String, intentKey: String, request: Request, nowMicros: Int64,
                       _ stores: Stores) throws -> ConnectorCall {
        // The connector's idempotency key names the ledger intent, so every retry and every
        // resume after a stop asks for the same thing.
        let idempotencyKey = "marketplace:\(intentKey)"
        let id = try stores.connectorCalls.insert(connector: connector, kind: kind, taskID: taskID, intentKey: intentKey, idempotencyKey: idempotencyKey,
                                                  request: request, nowMicros: nowMicros)
        return ConnectorCall(id: id, connector: connector, kind: kind, taskID: taskID, intentKey: intentKey,
                             idempotencyKey: idempotencyKey, request: request, state: .pending)
    }

    /// A task's latest settled call of `kind`: the checkout that paid for it, the payout made.
    static func settled(_ taskID: String, kind: Kind, _ stores: Stores) throws -> ConnectorCall? {
        try stores.connectorCalls.forTask(taskID, kind: kind).last { $0.state == .settled }
    }

    /// Moves the call on from `from` states only; false when another writer got there first.
    func move(to state: State, from: Set<State>, reference: String? = nil, url: String? = nil, paymentReference: String? = nil,
              error: String? = nil, nowMicros: Int64, _ stores: Stores) throws -> Bool {
        try stores.connectorCalls.move(id, to: state, from: from, reference: reference, url: url, paymentReference: paymentReference, error: error,
                                       nowMicros: nowMicros)
    }
}
