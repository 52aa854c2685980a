import LedgerCore

/// The test connector's log: one line per ledger transfer the test connector answered, with
/// its kind, asset, signed amount and time.
protocol TestConnectorLogStore {
    /// Adds the line of `transfer`; a second line for the same transfer is ignored.
    func record(_ kind: TestConnectorLog.Kind, asset: Asset, amountMinor: Int64, transfer: TransferID, nowMicros: Int64) throws
    /// The lines made in [fromMicros, toMicros), in the order they were written.
    func lines(fromMicros: Int64, toMicros: Int64) throws -> [TestConnectorLog.Line]
}
