import Connectors
import Foundation
import GRDB
public import LedgerCore

/// An address an agent pays USDC deposits from.
public struct DepositAddress: Sendable, Hashable {
    public let address: String
    /// Where to send USDC: the platform's hot wallet, on `network`, token `asset`.
    public let payTo: String
    public let network: String
    public let asset: String
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
        try await store.writeDB { db in
            let owner = try String.fetchOne(db, sql: "SELECT user_id FROM deposit_addresses WHERE address = ? AND mode = ?",
                                            arguments: [normalized, caller.mode.rawValue])
            if let owner, owner != caller.userID {
                throw MarketplaceError.conflict(field: "address", message: "address \(normalized) is registered by another account")
            }
            try db.run(sql: "INSERT OR IGNORE INTO deposit_addresses (address, mode, user_id, created_at) VALUES (?, ?, ?, ?)",
                       arguments: [normalized, caller.mode.rawValue, caller.userID, now])
        }
        return DepositAddress(address: normalized, payTo: chain.chain.hotWallet, network: chain.chain.network, asset: chain.chain.asset)
    }

    public func depositAddresses(for caller: Principal) throws(MarketplaceError) -> [DepositAddress] {
        try caller.require(.walletRead)
        let chain = try self.chain(for: caller, field: "address")
        return try store.readDB { db in
            try String.fetchAll(db, sql: "SELECT address FROM deposit_addresses WHERE user_id = ? AND mode = ? ORDER BY created_at",
                                arguments: [caller.userID, caller.mode.rawValue])
        }.map { DepositAddress(address: $0, payTo: chain.chain.hotWallet, network: chain.chain.network, asset: chain.chain.asset) }
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
        let stored = try store.readDB { db in try Int64.fetchOne(db, sql: "SELECT block FROM chain_cursors WHERE name = ?", arguments: [cursorName]) }
        let cursor = stored.map { UInt64($0) } ?? (chain.depositStartBlock.map { $0 > 0 ? $0 - 1 : 0 } ?? heads.safe)
        if stored == nil {
            try await store.writeDB { db in
                try db.run(sql: "INSERT OR IGNORE INTO chain_cursors (name, block) VALUES (?, ?)", arguments: [cursorName, Int64(cursor)])
            }
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
        try await store.writeDB { db in
            try db.run(sql: "UPDATE chain_cursors SET block = MAX(block, ?) WHERE name = ?", arguments: [final, cursorName])
        }
        return credited
    }

    /// Stores what the rescan found; seen logs in the rescanned range it no longer finds were
    /// reorganized away and are forgotten.
    private func record(_ transfers: [ChainTransfer], rescanned from: UInt64, _ chain: ChainPayments) async throws(MarketplaceError) {
        let now = clock.nowMicros()
        let mode = chain.mode.rawValue
        try await store.writeDB { db in
            let keep = Set(transfers.map { "\($0.transactionHash):\($0.logIndex)" })
            let open = try Row.fetchAll(db, sql: "SELECT tx_hash, log_index FROM chain_deposits WHERE state = 'seen' AND block_number >= ?",
                                        arguments: [Int64(from)])
            for row in open where !keep.contains("\(row["tx_hash"] as String):\(row["log_index"] as Int64)") {
                try db.run(sql: "DELETE FROM chain_deposits WHERE tx_hash = ? AND log_index = ? AND state = 'seen'",
                           arguments: [row["tx_hash"] as String, row["log_index"] as Int64])
            }
            for transfer in transfers {
                // The hot wallet's own settlements of authorizations log a Transfer into it too:
                // that money funds a task, never a deposit.
                if try Int64.fetchOne(db, sql: "SELECT 1 FROM chain_transactions WHERE hash = ?", arguments: [transfer.transactionHash]) != nil { continue }
                let owner = try String.fetchOne(db, sql: "SELECT user_id FROM deposit_addresses WHERE address = ? AND mode = ?",
                                                arguments: [transfer.from, mode])
                try db.run(sql: """
                    INSERT INTO chain_deposits (tx_hash, log_index, block_number, block_hash, from_address, amount_minor, user_id, mode, state, seen_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'seen', ?)
                    ON CONFLICT (tx_hash, log_index) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash
                        WHERE state = 'seen'
                    """, arguments: [transfer.transactionHash, Int64(transfer.logIndex), Int64(transfer.blockNumber), transfer.blockHash, transfer.from,
                                     transfer.amountMinor, owner, mode, now])
            }
        }
    }

    /// Credits each seen deposit the policy lets through, once: the ledger operation is keyed
    /// by (transaction hash, log index) and lands with the row's new state.
    private func creditDeposits(_ chain: ChainPayments, heads: ChainHeads) async throws(MarketplaceError) -> Int {
        let rows = try store.readDB { db in
            try Row.fetchAll(db, sql: "SELECT * FROM chain_deposits WHERE state = 'seen' ORDER BY block_number, log_index")
        }
        var credited = 0
        for row in rows {
            let block = UInt64(row["block_number"] as Int64)
            let amount: Int64 = row["amount_minor"]
            var timestamp = Int64.max
            if block > heads.safe, chain.policy.fastPathMaxMinor > 0, amount <= chain.policy.fastPathMaxMinor {
                guard let mined = try? await chain.chain.block(block), mined.hash == row["block_hash"] as String else { continue }
                timestamp = mined.timestamp
            }
            guard chain.policy.holds(amountMinor: amount, block: block, blockTimestamp: timestamp, succeeded: true, heads: heads) else { continue }
            if try await credit(row, chain) { credited += 1 }
        }
        return credited
    }

    private func credit(_ row: Row, _ chain: ChainPayments) async throws(MarketplaceError) -> Bool {
        let hash: String = row["tx_hash"]
        let index: Int64 = row["log_index"]
        let amount: Int64 = row["amount_minor"]
        let owner: String? = row["user_id"]
        let payer: String = row["from_address"]
        let mode = chain.mode
        let now = clock.nowMicros()
        let connector = chain.chain.name
        return try await store.transaction { transaction in
            let db = transaction.db
            guard let owner else {
                try db.run(sql: "UPDATE chain_deposits SET state = 'unmatched' WHERE tx_hash = ? AND log_index = ? AND state = 'seen'", arguments: [hash, index])
                return false
            }
            try db.run(sql: "UPDATE chain_deposits SET state = 'credited', credited_at = ? WHERE tx_hash = ? AND log_index = ? AND state = 'seen'",
                       arguments: [now, hash, index])
            guard db.changesCount == 1 else { return false }
            let clearing = try transaction.account(self.chart.clearing(connector: connector, mode: mode.ledger, asset: .usdc)!)
            let wallet = try transaction.account(self.walletAccount(user: owner, mode: mode, .usdc))
            _ = try Operation.commit(key: "deposit:\(connector):\(hash):\(index)", in: transaction, nowMicros: now) { first in
                PostingRecipes.deposit(id: first, clearing: clearing, wallet: wallet, amountMinor: amount, asset: .usdc,
                                       metadata: #"{"transaction":"\#(hash)","log_index":\#(index)}"#)
            }
            try Outbox.emit(.depositCredited, to: [owner], mode: mode, task: nil,
                            data: ["amount": Outbox.money(amount, .usdc), "connector": connector, "transaction": hash, "log_index": index, "from": payer],
                            nowMicros: now, Stores(db))
            try Notification.add(.depositCredited, for: owner, mode: mode, task: nil,
                                 "\(MinorUnits.format(amount, scale: Asset.usdc.scale)) USDC from \(payer) is in your wallet",
                                 nowMicros: now, Stores(db))
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
