import Connectors
import Foundation
import Logging

/// EIP-3009 lets anyone submit an agent's signed authorization. When a third party sends the
/// one we accepted before the hot wallet does, its transaction moves the USDC to us and ours
/// reverts; the money is the task's all the same. The chain's word decides: the token marked the
/// (payer, nonce) used, and the Transfer in that same transaction paid exactly our `to` and value.
extension SettlementService {
    /// The Transfer by which another sender carried out `call`'s authorization, in a block up to
    /// `through`; nil when the authorization is unused, or was used to pay someone else. A used
    /// authorization whose logs the node does not show throws, so the call waits rather than voids.
    func authorizationUse(of call: ConnectorCall, through: UInt64, _ chain: ChainPayments) async throws(MarketplaceError) -> ChainTransfer? {
        guard call.kind == .authorization, let authorization = call.request.authorization else { return nil }
        let first = min(call.request.acceptedBlock ?? chain.depositStartBlock ?? 0, through)
        let found: ChainTransfer?
        do {
            guard try await chain.chain.authorizationUsed(authorization) else { return nil }
            found = try await chain.chain.authorizationTransfer(of: authorization, from: first, through: through)
        } catch {
            throw .connectorUnavailable("the Base node did not say who used authorization \(call.reference ?? ""): \(error)")
        }
        guard let found else {
            logger.error("authorization used, but no AuthorizationUsed log in range", metadata: ["call": "\(call.id)", "from": "\(first)", "through": "\(through)"])
            throw .connectorUnavailable("authorization \(call.reference ?? "") is used on chain, but its transfer is not in blocks \(first)...\(through)")
        }
        guard Self.pays(found, exactly: authorization) else {
            logger.warning("authorization used to pay elsewhere", metadata: ["call": "\(call.id)", "transaction": "\(found.transactionHash)", "to": "\(found.to)"])
            return nil
        }
        logger.notice("authorization settled by another sender", metadata: ["call": "\(call.id)", "transaction": "\(found.transactionHash)"])
        return found
    }

    static func pays(_ transfer: ChainTransfer, exactly authorization: ChainAuthorization) -> Bool {
        transfer.to.lowercased() == authorization.to.lowercased() && transfer.from.lowercased() == authorization.from.lowercased()
            && transfer.amountMinor == authorization.amountMinor
    }

    /// The transfers among `found` that carry out an authorization we accepted (held, being
    /// settled, or settled), as "hash:logIndex": they fund a task, never a deposit.
    func authorizationTransfers(in found: [ChainTransfer], _ chain: ChainPayments) async throws(MarketplaceError) -> Set<String> {
        var uses = Set<String>()
        let connector = chain.chain.name
        for transfer in found {
            let prefix = "authorization:\(transfer.from.lowercased()):"
            let candidates = try store.read { stores in
                try stores.connectorCalls.authorizations(connector: connector, referencePrefix: prefix)
            }.filter { $0.state != .failed && $0.request.authorization.map { Self.pays(transfer, exactly: $0) } == true }
            for call in candidates {
                guard let authorization = call.request.authorization else { continue }
                let carried: ChainTransfer?
                do { carried = try await chain.chain.authorizationTransfer(of: authorization, from: transfer.blockNumber, through: transfer.blockNumber) } catch {
                    throw .connectorUnavailable("the Base node gave no authorization logs: \(error)")
                }
                if let carried, carried.transactionHash == transfer.transactionHash, carried.logIndex == transfer.logIndex {
                    uses.insert("\(transfer.transactionHash):\(transfer.logIndex)")
                    break
                }
            }
        }
        return uses
    }
}
