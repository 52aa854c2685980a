/// What the validator asks of the stored journal on its slow paths (an id that does not
/// only grow, a hold that is no longer pending, a reversal). The SQLite writer answers from
/// its own connection, so it sees rows written earlier in the same open commit.
protocol JournalLookup {
    func transferExists(_ id: TransferID) throws(LedgerError) -> Bool
    func transfer(_ id: TransferID) throws(LedgerError) -> Transfer?
    /// The post or void that resolved a pending transfer, if any.
    func resolution(of pendingID: TransferID) throws(LedgerError) -> Transfer?
    /// The sum already reversed on a transfer.
    func reversedMinor(of id: TransferID) throws(LedgerError) -> Int64
}
