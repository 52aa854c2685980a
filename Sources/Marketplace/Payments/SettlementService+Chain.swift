public import Connectors
import Foundation
import LedgerCore
import Logging
import Synchronization

/// A receipt without an L1 fee is logged once per process; reconciliation names every one.
private let unreportedL1FeeLogged = Mutex(false)

/// Transactions the hot wallet sends on chain for connector calls (USDC payouts and the
/// settlement of agents' authorizations), on one rule: the nonce is taken, the transaction
/// signed and its raw bytes stored in one commit, before any broadcast. A restart sends the
/// stored bytes again (same nonce, same hash), never a second transaction; "already known"
/// counts as sent. A transaction stuck past `replaceAfterSeconds` is replaced with the same
/// nonce and both fees raised by 10 % or more. The ledger moves only once the receipt holds
/// under the confirmation policy; a failed receipt voids the hold. Gas, with the OP-stack L1
/// fee, is booked as an expense either way.
extension SettlementService {

    /// What one pass over the chain did.
    public struct ChainPass: Sendable, Equatable {
        public var sent = 0
        public var replaced = 0
        public var settled = 0
        public var failed = 0
        public var depositsCredited = 0

        public init() {}
    }

    /// At start: refuses a node on another chain, and resyncs the nonce sequence.
    public func startChain() async throws(MarketplaceError) {
        guard let chain else { return }
        do { try await chain.chain.checkChain() } catch { throw Self.refusal(error) }
        try await resyncNonce(chain)
    }

    func resyncNonce(_ chain: ChainPayments) async throws(MarketplaceError) {
        let pending: UInt64
        do { pending = try await chain.chain.pendingNonce() } catch {
            throw .connectorUnavailable("the Base node did not give the hot wallet's nonce: \(error)")
        }
        let address = chain.chain.hotWallet
        try await store.write { stores in try NonceSequence.resync(address, pendingCount: pending, stores) }
    }

    /// One pass: sends what is pending, follows what is sent (replacing, settling, failing),
    /// and reads deposits. Errors wait for the next pass.
    @discardableResult
    public func advanceChain() async -> ChainPass {
        var pass = ChainPass()
        guard let chain else { return pass }
        let calls = (try? store.read { stores in try stores.connectorCalls.openIDs(connector: chain.chain.name) }) ?? []
        guard let heads = try? await chain.chain.heads() else { return pass }
        for id in calls {
            guard let call = try? store.read({ stores in try stores.connectorCalls.fetch(id: id) }) else { continue }
            if call.state == .pending {
                if (try? await sendChainCall(call, chain)) != nil { pass.sent += 1 }
                continue
            }
            switch (try? await follow(call, chain, heads: heads)) ?? .waiting {
            case .waiting: break
            case .replaced: pass.replaced += 1
            case .settled: pass.settled += 1
            case .failed: pass.failed += 1
            }
        }
        pass.depositsCredited = (try? await scanDeposits(chain, heads: heads)) ?? 0
        return pass
    }

    /// Signs the call's transaction (once: a call with one stored sends that one) and
    /// broadcasts it; answers its hash.
    @discardableResult
    func sendChainCall(_ call: ConnectorCall, _ chain: ChainPayments) async throws(MarketplaceError) -> String {
        let stored = try store.read { stores in try stores.chainTransactions.live(call: call.id) }
        if let newest = stored.last {
            _ = try await broadcast(newest, of: call, chain)
            return newest.hash
        }
        let fees: ChainFees
        do { fees = try await chain.chain.suggestedFees() } catch { throw .connectorUnavailable("the Base node gave no fees: \(error)") }
        if try !store.read({ stores in try stores.chainTransactions.hasNonce(chain.chain.hotWallet) }) {
            try await resyncNonce(chain)
        }
        let record = try await signAndStore(call, chain, fees: fees)
        crash(at: .afterIntent)
        _ = try await broadcast(record, of: call, chain)
        return record.hash
    }

    /// Takes a nonce, signs, stores the raw bytes and marks the call sent, in one commit. A
    /// call that already has a transaction (another pass got there first) keeps that one.
    private func signAndStore(_ call: ConnectorCall, _ chain: ChainPayments, fees: ChainFees) async throws(MarketplaceError) -> ChainTransactionRecord {
        let now = clock.nowMicros()
        return try await store.write { stores in
            if let existing = try stores.chainTransactions.live(call: call.id).last { return existing }
            guard let nonce = try stores.chainTransactions.takeNonce(chain.chain.hotWallet) else {
                throw MarketplaceError.connectorUnavailable("the hot wallet's nonce is not known yet")
            }
            let signed = try Self.sign(call, chain, nonce: nonce, fees: fees)
            let record = try stores.chainTransactions.insert(signed, call: call.id, nowMicros: now)
            _ = try call.move(to: .sent, from: [.pending], nowMicros: now, stores)
            return record
        }
    }

    private static func sign(_ call: ConnectorCall, _ chain: ChainPayments, nonce: UInt64, fees: ChainFees) throws(MarketplaceError) -> SignedChainTransaction {
        do {
            if call.kind == .payout, let destination = call.request.destination {
                return try chain.chain.signTransfer(to: destination, amountMinor: call.request.amountMinor, nonce: nonce, fees: fees)
            }
            if call.kind == .authorization, let authorization = call.request.authorization {
                return try chain.chain.signSettlement(of: authorization, nonce: nonce, fees: fees)
            }
        } catch {
            throw refusal(error)
        }
        throw .internalError("call \(call.id) (\(call.kind.rawValue)) has nothing to sign on chain")
    }

    /// Sends stored bytes. A spent nonce with no receipt of ours means another transaction used
    /// it: the call's transactions are abandoned, the sequence resynced, and it is signed anew.
    private func broadcast(_ record: ChainTransactionRecord, of call: ConnectorCall, _ chain: ChainPayments) async throws(MarketplaceError) -> Bool {
        let outcome: BroadcastOutcome
        do { outcome = try await chain.chain.broadcast(record.signed) } catch {
            throw .connectorUnavailable("the Base node did not take the transaction; it is stored and will be sent again: \(error)")
        }
        let now = clock.nowMicros()
        switch outcome {
        case .sent:
            if record.state == .signed { try await store.write { stores in try stores.chainTransactions.mark([record.id], .sent, nowMicros: now) } }
            return true
        case .nonceTooLow:
            if try await receipt(ofAny: call, chain) != nil { return true }
            let live = try store.read { stores in try stores.chainTransactions.live(call: call.id) }
            try await store.write { stores in try stores.chainTransactions.mark(live.map(\.id), .abandoned, nowMicros: now) }
            try await resyncNonce(chain)
            let fees: ChainFees
            do { fees = try await chain.chain.suggestedFees() } catch { throw .connectorUnavailable("the Base node gave no fees: \(error)") }
            let fresh = try await signAndStore(call, chain, fees: fees)
            logger.notice("nonce spent elsewhere; signed again", metadata: ["call": "\(call.id)", "old_nonce": "\(record.nonce)", "nonce": "\(fresh.nonce)"])
            return try await broadcast(fresh, of: call, chain)
        case .refused(let message):
            // Underpriced, or no ETH for gas: the stored transaction waits for the next pass.
            logger.warning("the Base node refused a transaction", metadata: ["call": "\(call.id)", "hash": "\(record.hash)", "reason": "\(message)"])
            return false
        }
    }

    /// The receipt of whichever of the call's transactions was mined (a replacement or the
    /// original), newest first.
    private func receipt(ofAny call: ConnectorCall, _ chain: ChainPayments) async throws(MarketplaceError) -> (ChainTransactionRecord, ChainReceipt)? {
        let live = try store.read { stores in try stores.chainTransactions.live(call: call.id) }
        for record in live.reversed() {
            let receipt: ChainReceipt?
            do { receipt = try await chain.chain.receipt(of: record.hash) } catch {
                throw .connectorUnavailable("the Base node gave no receipt: \(error)")
            }
            if let receipt { return (record, receipt) }
        }
        return nil
    }

    enum FollowOutcome { case waiting, replaced, settled, failed }

    /// Moves a sent call on: settles or fails it once its receipt holds; otherwise re-sends the
    /// stored bytes the node forgot, or replaces a transaction stuck too long.
    func follow(_ call: ConnectorCall, _ chain: ChainPayments, heads: ChainHeads) async throws(MarketplaceError) -> FollowOutcome {
        if let (record, receipt) = try await receipt(ofAny: call, chain) {
            // A receipt in a block that is no longer canonical is a reorg in progress: look again later.
            let block: ChainBlock?
            do { block = try await chain.chain.block(receipt.blockNumber) } catch { throw .connectorUnavailable("\(error)") }
            guard let block, block.hash == receipt.blockHash,
                  chain.policy.holds(amountMinor: call.request.amountMinor, block: receipt.blockNumber, blockTimestamp: block.timestamp,
                                     succeeded: receipt.succeeded, heads: heads) else { return .waiting }
            // Ours reverted: someone may have sent the same authorization first, paying us.
            let use = receipt.succeeded ? nil : try await authorizationUse(of: call, through: receipt.blockNumber, chain)
            try await finish(call, record: record, receipt: receipt, use: use, chain)
            return receipt.succeeded || use != nil ? .settled : .failed
        }
        guard let newest = try store.read({ stores in try stores.chainTransactions.live(call: call.id) }).last else {
            try await sendChainCall(call, chain)
            return .waiting
        }
        let now = clock.nowMicros()
        if newest.state == .sent, let sentAt = newest.sentAt, now - sentAt >= chain.replaceAfterSeconds * 1_000_000 {
            return try await replace(newest, of: call, chain) ? .replaced : .waiting
        }
        let known: Bool
        do { known = try await chain.chain.knows(newest.hash) } catch { throw .connectorUnavailable("\(error)") }
        if !known || newest.state == .signed { _ = try await broadcast(newest, of: call, chain) }
        return .waiting
    }

    /// Signs the same nonce again with both fees raised by at least 10 % (or today's fees if
    /// higher) and sends it; the old one is kept, since either may still be mined.
    private func replace(_ stuck: ChainTransactionRecord, of call: ConnectorCall, _ chain: ChainPayments) async throws(MarketplaceError) -> Bool {
        let fresh: ChainFees
        do { fresh = try await chain.chain.suggestedFees() } catch { throw .connectorUnavailable("the Base node gave no fees: \(error)") }
        let fees = stuck.fees.bumped(byPercent: 10, floor: fresh)
        let signed = try Self.sign(call, chain, nonce: stuck.nonce, fees: fees)
        let now = clock.nowMicros()
        let record = try await store.write { stores in
            try stores.chainTransactions.mark([stuck.id], .replaced, nowMicros: now)
            return try stores.chainTransactions.insert(signed, call: call.id, nowMicros: now)
        }
        logger.notice("replaced a stuck transaction", metadata: ["call": "\(call.id)", "old": "\(stuck.hash)", "new": "\(record.hash)",
                                                                 "max_fee": "\(fees.maxFeePerGas)", "tip": "\(fees.maxPriorityFeePerGas)"])
        return try await broadcast(record, of: call, chain)
    }

    /// In one commit: the ledger moves as the receipt says (settle or void the call's intent)
    /// and the gas it cost is booked. A reverted settlement whose authorization `use` paid us
    /// from another sender's transaction settles from that transfer.
    private func finish(_ call: ConnectorCall, record: ChainTransactionRecord, receipt: ChainReceipt, use: ChainTransfer?,
                        _ chain: ChainPayments) async throws(MarketplaceError) {
        let now = clock.nowMicros()
        let connector = chain.chain.name
        if receipt.l1FeeUnreported, unreportedL1FeeLogged.withLock({ logged in defer { logged = true }; return !logged }) {
            logger.warning("a Base receipt has no l1Fee: its L1 data fee is booked as 0; reconcile lists every such transaction (fee_unreported)",
                           metadata: ["call": "\(call.id)", "hash": "\(receipt.hash)"])
        }
        try await store.transaction { transaction in
            let stores = transaction.stores
            guard let current = try stores.connectorCalls.fetch(id: call.id), current.state == .sent else { return }
            if receipt.feeWei > 0 {
                let expense = try transaction.account(self.chart.gasExpense(mode: chain.mode.ledger))
                let gasClearing = try transaction.account(self.chart.clearing(connector: connector, mode: chain.mode.ledger, asset: .eth)!)
                _ = try Operation.commit(key: "gas:\(receipt.hash)", in: transaction, nowMicros: now) { first in
                    try PostingRecipes.gas(id: first, expense: expense, clearing: gasClearing, wei: receipt.feeWei, reference: receipt.hash)
                }
            }
            if !receipt.succeeded, let use, current.kind == .authorization {
                try self.settleAuthorization(current, hash: use.transactionHash, connector: connector, nowMicros: now, transaction)
                _ = try current.move(to: .settled, from: [.sent], reference: current.reference ?? use.transactionHash,
                                     paymentReference: use.transactionHash, nowMicros: now, stores)
                return
            }
            guard receipt.succeeded else {
                try self.void(current, reason: "the transaction \(receipt.hash) reverted", nowMicros: now, transaction)
                try self.tellFailure(current, hash: receipt.hash, nowMicros: now, stores)
                return
            }
            switch current.kind {
            case .payout: try self.settleChainPayout(current, hash: receipt.hash, connector: connector, nowMicros: now, transaction)
            case .authorization: try self.settleAuthorization(current, hash: receipt.hash, connector: connector, nowMicros: now, transaction)
            case .checkout, .refund: throw MarketplaceError.internalError("a \(current.kind.rawValue) does not go on chain")
            }
            _ = try current.move(to: .settled, from: [.sent], reference: current.reference ?? receipt.hash, paymentReference: receipt.hash,
                                 nowMicros: now, stores)
        }
    }

    private func settleChainPayout(_ call: ConnectorCall, hash: String, connector: String, nowMicros now: Int64, _ transaction: LedgerTransaction) throws {
        guard let intent = try Operation.find(key: call.intentKey, in: transaction.stores), let asset = Asset.named(call.request.asset) else {
            throw MarketplaceError.internalError("payout \(call.id) has no recorded intent")
        }
        let mode = try Self.mode(ofTask: call.taskID, transaction.stores)
        let inFlight = try transaction.account(chart.payoutsInFlight(connector: connector, mode: mode, asset: asset)!)
        let clearing = try transaction.account(chart.clearing(connector: connector, mode: mode, asset: asset)!)
        _ = try Operation.commit(key: "\(call.intentKey):post", in: transaction, nowMicros: now) { first in
            try PostingRecipes.withdrawalSucceeded(firstID: first, intent: intent.firstTransferID, inFlight: inFlight, clearing: clearing,
                                                   amountMinor: call.request.amountMinor, asset: asset,
                                                   metadata: #"{"task":"\#(call.taskID)","transaction":"\#(hash)"}"#)
        }
    }

    /// A failed payout or settlement: who should know.
    private func tellFailure(_ call: ConnectorCall, hash: String, nowMicros now: Int64, _ stores: Stores) throws {
        guard let user = call.request.userID, let task = try stores.tasks.fetch(call.taskID) else { return }
        let amount = "\(MinorUnits.format(call.request.amountMinor, scale: Asset.usdc.scale)) USDC"
        let text = call.kind == .payout
            ? "The USDC payout of \(amount) for \"\(task.spec.title)\" failed on chain (\(hash)); it is back in your wallet"
            : "The USDC authorization of \(amount) for \"\(task.spec.title)\" did not settle (\(hash)); the task is not funded"
        try Notification.add(call.kind == .payout ? .payoutFailed : .fundingFailed, for: user, mode: task.mode, task: call.taskID, text, nowMicros: now, stores)
    }
}
