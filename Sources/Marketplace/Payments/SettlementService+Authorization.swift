public import Connectors
import Foundation
public import LedgerCore

/// Funding a USDC task with an agent's signed EIP-3009 authorization, the way x402 clients
/// pay: without a payment the answer is the requirements; with one, it is checked (fields,
/// window, network, amount, recipient, then on chain: signature, nonce, balance, simulation),
/// held in the ledger (pending clearing -> escrow) with its call in one commit, and settled by
/// the hot wallet's transferWithAuthorization. Confirmation funds the task; a failed
/// settlement voids the hold.
extension SettlementService {
    func fundByAuthorization(_ taskID: String, payment: X402.Payment?, resource: String,
                             by caller: Principal) async throws(MarketplaceError) -> FundingOutcome {
        try caller.require(.walletWrite)
        try caller.requirePoster()
        let chain = try self.chain(for: caller, field: "source")
        let now = clock.nowMicros()
        let prepared = try store.read { stores in try prepareFunding(taskID, by: caller, nowMicros: now, stores) }
        let task: MarketTask
        let split: FeeSplit
        switch prepared {
        case .funded(let funding, let funded): return .funded(funding, mockOperator: funded.spec.mockOperator)
        case .ready(let preparation): (task, split) = (preparation.task, preparation.split)
        }
        guard task.spec.asset == .usdc else {
            throw .validation(field: "source", message: "USDC authorizations fund USDC tasks; this task is priced in \(task.spec.asset.code)")
        }
        if let open = try store.read({ stores in try stores.connectorCalls.forTask(taskID, kind: .authorization).last { $0.state == .pending || $0.state == .sent } }),
           let authorization = open.request.authorization {
            let hash = try store.read { stores in try stores.chainTransactions.live(call: open.id).last?.hash }
            return .settling(ChainSettling(taskID: taskID, transaction: hash, payer: authorization.from, network: chain.chain.network,
                                           amountMinor: open.request.amountMinor))
        }
        let requirements = X402.Requirements(network: chain.chain.network, chainID: chain.chain.chainID, amountMinor: split.escrowMinor,
                                             payTo: chain.chain.hotWallet, asset: chain.chain.asset, resource: resource,
                                             description: "Fund task \(taskID): \(task.spec.title.prefix(120))",
                                             maxTimeoutSeconds: chain.authorizationTimeoutSeconds, domainName: chain.chain.assetDomain.name,
                                             domainVersion: chain.chain.assetDomain.version)
        guard let payment else { return .paymentRequired(requirements, reason: nil, field: nil) }
        let authorization = try check(payment, against: requirements, chain)
        let deadline = Self.requestNodeDeadline()
        let checked = try await beforeDeadline(deadline, "the authorization check") { () async throws(MarketplaceError) -> Checked in
            try await Self.verify(authorization, chain)
        }
        guard case .accepted(let acceptedBlock) = checked else {
            if case .refused(let reason, let field) = checked { return .paymentRequired(requirements, reason: reason, field: field) }
            throw .internalError("an authorization check answered nothing")
        }
        let call = try await hold(authorization, acceptedBlock: acceptedBlock, taskID: task.id, by: caller, chain)
        let hash = try? await beforeDeadline(deadline, "the settlement") { () async throws(MarketplaceError) -> String in
            try await self.sendChainCall(call, chain)
        }
        return .settling(ChainSettling(taskID: taskID, transaction: hash, payer: authorization.from, network: chain.chain.network, amountMinor: split.escrowMinor))
    }

    /// What the chain said of an authorization: unused and payable (at the latest block then), or why not.
    enum Checked: Sendable {
        case accepted(block: UInt64)
        case refused(reason: String, field: String?)
    }

    /// The checks on chain: signature, nonce, balance, simulation; the latest block first, so
    /// the authorization's use can only come after it.
    static func verify(_ authorization: ChainAuthorization, _ chain: ChainPayments) async throws(MarketplaceError) -> Checked {
        let block: UInt64
        do {
            block = try await chain.chain.heads().latest
            try await chain.chain.verify(authorization)
        } catch {
            guard case .refused(_, _, let code, let message, let param) = error else {
                throw .connectorUnavailable("the Base node could not check the authorization: \(error)")
            }
            return .refused(reason: "\(code ?? "invalid_payment"): \(message)", field: param)
        }
        return .accepted(block: block)
    }

    /// The checks that need no node: well-formed fields, the network, what is paid and to
    /// whom, and the validity window with a margin for the settlement to be mined.
    private func check(_ payment: X402.Payment, against requirements: X402.Requirements, _ chain: ChainPayments) throws(MarketplaceError) -> ChainAuthorization {
        let expected = payment.version == 1 ? requirements.network : requirements.caip2Network
        guard payment.network == expected else {
            throw .validation(field: "network", message: "the payment is for \(payment.network); this marketplace takes \(expected) (chain id \(requirements.chainID))")
        }
        let authorization: ChainAuthorization
        do { authorization = try chain.chain.parseAuthorization(payment.authorization) } catch { throw Self.invalidInput(error) }
        guard authorization.to == requirements.payTo else {
            throw .validation(field: "authorization.to", message: "the authorization pays \(authorization.to), not \(requirements.payTo)")
        }
        guard authorization.amountMinor == requirements.amountMinor else {
            throw .validation(field: "authorization.value", message: "the authorization is for \(authorization.amountMinor) base units; the funding is \(requirements.amountMinor)")
        }
        let now = clock.nowMicros() / 1_000_000
        guard authorization.validAfter <= now else {
            throw .validation(field: "authorization.validAfter", message: "the authorization is not valid before \(authorization.validAfter) (now \(now))")
        }
        guard authorization.validBefore >= now + chain.authorizationMarginSeconds else {
            throw .validation(field: "authorization.validBefore",
                              message: "the authorization expires at \(authorization.validBefore); it must stay valid \(chain.authorizationMarginSeconds) s past now (\(now))")
        }
        return authorization
    }

    /// The hold and the settlement call in one commit. An authorization is taken once, ever:
    /// its (payer, nonce) is the call's reference, unique per connector.
    private func hold(_ authorization: ChainAuthorization, acceptedBlock: UInt64, taskID: String, by caller: Principal,
                      _ chain: ChainPayments) async throws(MarketplaceError) -> ConnectorCall {
        let now = clock.nowMicros()
        let connector = chain.chain.name
        let reference = "authorization:\(authorization.from.lowercased()):\(authorization.nonce)"
        return try await store.transaction { transaction in
            let stores = transaction.stores
            guard try stores.connectorCalls.fetch(connector: connector, reference: reference) == nil else {
                throw MarketplaceError.validation(field: "authorization.nonce", message: "this authorization was already used")
            }
            // Prepared again inside the commit: a concurrent funding, cancel or spend is seen here.
            guard case .ready(let preparation) = try prepareFunding(taskID, by: caller, nowMicros: now, stores),
                  try stores.connectorCalls.forTask(taskID, kind: .authorization).allSatisfy({ $0.state == .failed || $0.state == .settled }) else {
                throw MarketplaceError.conflict(field: nil, message: "the task is funded or being funded already")
            }
            let (task, split) = (preparation.task, preparation.split)
            if let reason = preparation.policyRefusal {
                throw MarketplaceError.forbidden("this key's spend policy does not allow it (\(reason)); the account owner can fund it")
            }
            let attempt = try stores.connectorCalls.forTask(task.id, kind: .authorization).count + 1
            let intentKey = "usdc-intent:\(task.id):\(attempt)"
            let clearing = try transaction.account(chart.clearing(connector: connector, mode: task.mode.ledger, asset: .usdc)!)
            let escrow = try transaction.account(chart.escrow(task: task.id, mode: task.mode.ledger, asset: .usdc))
            _ = try Operation.commit(key: intentKey, in: transaction, nowMicros: now) { first in
                PostingRecipes.fundIntent(id: first, clearing: clearing, escrow: escrow, split: split, asset: .usdc, timeoutSeconds: 0,
                                          metadata: #"{"task":"\#(task.id)","connector":"\#(connector)","payer":"\#(authorization.from)"}"#)
            }
            let request = ConnectorCall.Request(amountMinor: split.escrowMinor, currency: "usdc", asset: Asset.usdc.code, escrowMinor: split.escrowMinor,
                                                payoutMinor: split.payoutMinor, feeMinor: split.feeMinor, feeRule: pricing.version,
                                                userID: task.ownerID, authorization: authorization,
                                                acceptedBlock: acceptedBlock)
            let call = try ConnectorCall.insert(connector: connector, kind: .authorization, taskID: task.id, intentKey: intentKey, request: request,
                                                nowMicros: now, stores)
            try stores.connectorCalls.setReference(reference, of: call.id)
            return call
        }
    }

    /// Inside the commit that saw the settlement confirmed: the task is funded (as `fund:<task>`,
    /// like every funding). A task closed or funded another way meanwhile gets nothing: the
    /// money is the payer's, credited to their wallet.
    func settleAuthorization(_ call: ConnectorCall, hash: String, connector: String, nowMicros now: Int64, _ transaction: LedgerTransaction) throws {
        let stores = transaction.stores
        guard let intent = try Operation.find(key: call.intentKey, in: stores), let owner = call.request.userID,
              let task = try stores.tasks.fetch(call.taskID) else {
            throw MarketplaceError.internalError("authorization funding \(call.id) has no recorded intent")
        }
        guard task.status.isFundable, try Self.committedFunding(of: call.taskID, stores) == nil else {
            _ = try Operation.commit(key: "\(call.intentKey):void", in: transaction, nowMicros: now) { first in
                PostingRecipes.fundIntentFailed(id: first, intent: intent.firstTransferID)
            }
            let clearing = try transaction.account(chart.clearing(connector: connector, mode: task.mode.ledger, asset: .usdc)!)
            let wallet = try transaction.account(walletAccount(user: owner, mode: task.mode, .usdc))
            _ = try Operation.commit(key: "usdc-late:\(hash)", in: transaction, nowMicros: now) { first in
                PostingRecipes.deposit(id: first, clearing: clearing, wallet: wallet, amountMinor: call.request.amountMinor, asset: .usdc,
                                       metadata: #"{"task":"\#(call.taskID)","transaction":"\#(hash)","late":true}"#)
            }
            try Notification.add(.taskFunded, for: owner, mode: task.mode, task: call.taskID,
                                 "A USDC payment for \"\(task.spec.title)\" settled after the task closed; it is in your wallet", nowMicros: now, stores)
            return
        }
        let split = try call.request.split()
        _ = try Operation.commit(key: "fund:\(call.taskID)", in: transaction, nowMicros: now) { first in
            PostingRecipes.fundIntentSucceeded(id: first, intent: intent.firstTransferID, metadata: #"{"task":"\#(call.taskID)","transaction":"\#(hash)"}"#)
        }
        let escrow = try transaction.account(chart.escrow(task: call.taskID, mode: task.mode.ledger, asset: .usdc))
        let funding = TaskFunding(taskID: call.taskID, escrowAccountID: escrow, asset: .usdc, split: split, feeRule: call.request.feeRule ?? pricing.version,
                                  source: .authorization)
        try funding.insert(fundedAt: now, keyID: nil, stores)
        try Outbox.emit(.taskFunded, to: [task.ownerID], mode: task.mode, task: task,
                        data: Outbox.funded(funding).merging(["transaction": hash]) { $1 }, nowMicros: now, stores)
        try Notification.add(.taskFunded, for: owner, mode: task.mode, task: call.taskID,
                             "\"\(task.spec.title)\" is funded by a USDC authorization (\(hash))", nowMicros: now, stores)
    }
}
