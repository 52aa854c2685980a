import Foundation

/// A request never waits on the Base node longer than `ChainPayments.requestNodeSecondsMax`:
/// the node work it needs runs against one deadline, is cancelled past it, and the request
/// answers 503. What was recorded stays: the chain loop sends and follows it in the background.
extension SettlementService {
    /// The deadline of node work that starts now on a request's path.
    static func requestNodeDeadline() -> ContinuousClock.Instant {
        .now + .seconds(ChainPayments.requestNodeSecondsMax)
    }

    /// Runs `body` until `deadline`; past it `body` is cancelled and this throws
    /// `.connectorUnavailable` naming `what`.
    func beforeDeadline<T: Sendable>(_ deadline: ContinuousClock.Instant, _ what: String,
                                     _ body: @escaping @Sendable () async throws(MarketplaceError) -> T) async throws(MarketplaceError) -> T {
        let outcome = await withTaskGroup(of: Result<T, MarketplaceError>?.self) { group in
            group.addTask {
                do throws(MarketplaceError) { return .success(try await body()) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let outcome else {
            throw .connectorUnavailable("the Base node did not answer \(what) within \(ChainPayments.requestNodeSecondsMax) s; try again shortly")
        }
        return try outcome.get()
    }
}
