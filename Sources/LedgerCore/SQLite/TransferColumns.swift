/// The journal's columns in the order every query of the writer reads them.
enum TransferColumns {
    static let list = "seq, id, debit_account_id, credit_account_id, amount, asset_id, flags, pending_id, reverses_id, timeout_seconds, code, timestamp, metadata, hash"

    /// `list` with every column prefixed by `t.`, for joins.
    static let qualifiedList = list.split(separator: ", ").map { "t.\($0)" }.joined(separator: ", ")

    /// Decodes the current row of a statement that selected `list`.
    static func transfer(from statement: PreparedStatement) -> Transfer {
        Transfer(
            seq: statement.int64(0), id: TransferID(statement.int64(1)),
            debitAccountID: AccountID(statement.int64(2)), creditAccountID: AccountID(statement.int64(3)),
            amountMinor: statement.int64(4), assetID: statement.int64(5), flags: TransferFlags(rawValue: statement.int64(6)),
            pendingID: statement.optionalInt64(7).map(TransferID.init(rawValue:)),
            reversesID: statement.optionalInt64(8).map(TransferID.init(rawValue:)),
            timeoutSeconds: statement.int64(9), code: statement.int64(10), timestamp: statement.int64(11),
            metadata: statement.text(12), hash: JournalHash(bytes: statement.blob(13)) ?? .genesis)
    }
}

/// The kinds of row in `transfer_links`.
enum LinkKind: Int64 {
    case openHold = 1
    case resolution = 2
    case reversal = 3
}
