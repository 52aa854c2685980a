import Connectors
import Foundation
public import LedgerCore

/// An address an agent pays USDC deposits from.
public struct DepositAddress: Sendable, Hashable {
    public let address: String
    /// Where to send USDC: the platform's hot wallet, on `network`, token `asset`.
    public let payTo: String
    public let network: String
    public let asset: String
}

/// A Transfer into the hot wallet seen on chain and not credited yet.
struct SeenDeposit: Sendable {
    var hash: String
    var logIndex: Int64
    var blockNumber: UInt64
    var blockHash: String
    var from: String
    var amountMinor: Int64
    /// Who registered the address it came from; nil when nobody did.
    var userID: String?
}

/// USDC deposits on Base: an agent registers the addresses it pays from; a watcher reads the
/// token's Transfer logs into the hot wallet from a persisted cursor and credits each
/// (transaction, log index) once, when the confirmation policy holds. The cursor never passes
/// the safe head, so unsafe blocks are read again each pass and a log a reorg removed is
/// forgotten before it could be credited.
extension SettlementService {
    public func registerDepositAddress(_ address: String, by caller: Principal) async throws(MarketplaceError) -> DepositAddress {
        try caller.require(.walletWrite)
        let chain = try self.chain(for: caller, field: "address")
        let normalized: String
        do { normalized = try chain.chain.normalize(address: address.trimmingCharacters(in: .whitespaces), field: "address") } catch {
            throw Self.invalidInput(error)
        }
        let now = clock.nowMicros()
        try await store.write { stores in
            let owner = try stores.deposits.addressOwner(normalized, mode: caller.mode)
            if let owner, owner != caller.userID {
                throw MarketplaceError.conflict(field: "address", message: "address \(normalized) is registered by another account")
            }
            try stores.deposits.register(normalized, mode: caller.mode, userID: caller.userID, nowMicros: now)
        }
        return DepositAddress(address: normalized, payTo: chain.chain.hotWallet, network: chain.chain.network, asset: chain.chain.asset)
    }

    public func depositAddresses(for caller: Principal) throws(MarketplaceError) -> [DepositAddress] {
        try caller.require(.walletRead)
        let chain = try self.chain(for: caller, field: "address")
        return try store.read { stores in try stores.deposits.addresses(userID: caller.userID, mode: caller.mode) }
            .map { DepositAddress(address: $0, payTo: chain.chain.hotWallet, network: chain.chain.network, asset: chain.chain.asset) }
    }

    /// The chain for the caller's mode, or a validation error naming `field`.
    func chain(for caller: Principal, field: String) throws(MarketplaceError) -> ChainPayments {
        guard let chain else { throw .validation(field: field, message: "USDC on Base is not configured (set BASE_RPC_URL, BASE_NETWORK and the hot wallet key)") }
        guard chain.mode == caller.mode else {
            throw .validation(field: field, message: "\(chain.chain.network) serves \(chain.mode.rawValue)-mode keys; this is a \(caller.mode.rawValue)-mode key")
        }
        return chain
    }

    var depositCursor: String { "deposits:\(chain?.chain.hotWallet ?? "")" }

    /// Reads new Transfer logs into the hot wallet and credits those the policy lets through;
    /// answers how many it credited.
    func scanDeposits(_ chain: ChainPayments, heads: ChainHeads) async throws(MarketplaceError) -> Int {
        let cursorName = depositCursor
        let stored = try store.read { stores in try stores.deposits.cursor(cursorName) }
        let cursor = stored ?? (chain.depositStartBlock.map { $0 > 0 ? $0 - 1 : 0 } ?? heads.safe)
        if stored == nil {
            try await store.write { stores in try stores.deposits.startCursor(cursorName, at: cursor) }
        }
        let from = cursor + 1
        if from <= heads.latest {
            var found: [ChainTransfer] = []
            var start = from
            while start <= heads.latest {
                let end = min(start + 4_999, heads.latest)
                do { found += try await chain.chain.incomingTransfers(to: chain.chain.hotWallet, from: start, through: end) } catch {
                    throw .connectorUnavailable("the Base node gave no logs: \(error)")
                }
                start = end + 1
            }
            // A Transfer that carries out an authorization we accepted funds its task, whoever sent it.
            let uses = try await authorizationTransfers(in: found, chain)
            try await record(found.filter { !uses.contains("\($0.transactionHash):\($0.logIndex)") }, rescanned: from, chain)
        }
        let credited = try await creditDeposits(chain, heads: heads)
        let final = Int64(min(heads.safe, heads.latest))
        try await store.write { stores in try stores.deposits.advanceCursor(cursorName, to: final) }
        return credited
    }

    /// Stores what the rescan found; seen logs in the rescanned range it no longer finds were
    /// reorganized away and are forgotten.
    private func record(_ transfers: [ChainTransfer], rescanned from: UInt64, _ chain: ChainPayments) async throws(MarketplaceError) {
        let now = clock.nowMicros()
        let mode = chain.mode
        try await store.write { stores in
            let keep = Set(transfers.map { "\($0.transactionHash):\($0.logIndex)" })
            for seen in try stores.deposits.seenKeys(fromBlock: from) where !keep.contains("\(seen.hash):\(seen.logIndex)") {
                try stores.deposits.forgetSeen(hash: seen.hash, logIndex: seen.logIndex)
            }
            for transfer in transfers {
                // The hot wallet's own settlements of authorizations log a Transfer into it too:
                // that money funds a task, never a deposit.
                if try stores.chainTransactions.contains(hash: transfer.transactionHash) { continue }
                let owner = try stores.deposits.addressOwner(transfer.from, mode: mode)
                try stores.deposits.recordSeen(transfer, userID: owner, mode: mode, nowMicros: now)
            }
        }
    }

    /// Credits each seen deposit the policy lets through, once: the ledger operation is keyed
    /// by (transaction hash, log index) and lands with the row's new state.
    private func creditDeposits(_ chain: ChainPayments, heads: ChainHeads) async throws(MarketplaceError) -> Int {
        let deposits = try store.read { stores in try stores.deposits.seen() }
        var credited = 0
        for deposit in deposits {
            let block = deposit.blockNumber
            let amount = deposit.amountMinor
            var timestamp = Int64.max
            if block > heads.safe, chain.policy.fastPathMaxMinor > 0, amount <= chain.policy.fastPathMaxMinor {
                guard let mined = try? await chain.chain.block(block), mined.hash == deposit.blockHash else { continue }
                timestamp = mined.timestamp
            }
            guard chain.policy.holds(amountMinor: amount, block: block, blockTimestamp: timestamp, succeeded: true, heads: heads) else { continue }
            if try await credit(deposit, chain) { credited += 1 }
        }
        return credited
    }

    private func credit(_ deposit: SeenDeposit, _ chain: ChainPayments) async throws(MarketplaceError) -> Bool {
        let hash = deposit.hash
        let index = deposit.logIndex
        let amount = deposit.amountMinor
        let owner = deposit.userID
        let payer = deposit.from
        let mode = chain.mode
        let now = clock.nowMicros()
        let connector = chain.chain.name
        return try await store.transaction { transaction in
            let stores = transaction.stores
            guard let owner else {
                try stores.deposits.markUnmatched(hash: hash, logIndex: index)
                return false
            }
            guard try stores.deposits.markCredited(hash: hash, logIndex: index, nowMicros: now) else { return false }
            let clearing = try transaction.account(self.chart.clearing(connector: connector, mode: mode.ledger, asset: .usdc)!)
            let wallet = try transaction.account(self.walletAccount(user: owner, mode: mode, .usdc))
            _ = try Operation.commit(key: "deposit:\(connector):\(hash):\(index)", in: transaction, nowMicros: now) { first in
                PostingRecipes.deposit(id: first, clearing: clearing, wallet: wallet, amountMinor: amount, asset: .usdc,
                                       metadata: #"{"transaction":"\#(hash)","log_index":\#(index)}"#)
            }
            try Outbox.emit(.depositCredited, to: [owner], mode: mode, task: nil,
                            data: ["amount": Outbox.money(amount, .usdc), "connector": connector, "transaction": hash, "log_index": index, "from": payer],
                            nowMicros: now, stores)
            try Notification.add(.depositCredited, for: owner, mode: mode, task: nil,
                                 "\(MinorUnits.format(amount, scale: Asset.usdc.scale)) USDC from \(payer) is in your wallet",
                                 nowMicros: now, stores)
            return true
        }
    }
}

extension SettlementService {
    /// A connector's refusal of bad input (it names the field) as the validation error it is.
    static func invalidInput(_ error: ConnectorError) -> MarketplaceError {
        if case .refused(_, _, _, let message, let param) = error, let param { return .validation(field: param, message: message) }
        return refusal(error)
    }
}
