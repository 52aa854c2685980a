extension JournalWriter {
    /// Creates accounts, all or none; an existing code with the same attributes is returned as is.
    func create(_ accounts: [NewAccount], at timestamp: Int64) throws(LedgerError) -> [Account] {
        var planned: [Account] = []
        var nextID = Int64(ledgerState.accounts.count)
        var codesInRequest: [String: Account] = [:]
        for new in accounts {
            guard !new.code.isEmpty, new.code.utf8.count <= NewAccount.codeLengthMax else { throw .accountCodeInvalid(code: new.code) }
            guard new.flags.isSubset(of: AccountFlags.known), new.flags != AccountFlags.known else { throw .accountFlagsConflict(code: new.code) }
            var existing = codesInRequest[new.code]
            if existing == nil { existing = try account(code: new.code) }
            if let existing {
                guard existing.matches(new) else { throw .accountExists(code: new.code) }
                planned.append(existing)
                continue
            }
            let account = Account(id: AccountID(nextID), code: new.code, type: new.type, asset: new.asset, flags: new.flags,
                                  ownerKind: new.ownerKind, ownerID: new.ownerID, createdAt: timestamp, balance: .zero)
            nextID += 1
            codesInRequest[new.code] = account
            planned.append(account)
        }
        let insert = statementsForAccounts.insertAccount
        for account in planned where account.id.rawValue >= Int64(ledgerState.accounts.count) {
            insert.bind(1, account.id.rawValue)
            insert.bind(2, account.code)
            insert.bind(3, account.type.rawValue)
            insert.bind(4, account.asset.id)
            insert.bind(5, account.flags.rawValue)
            insert.bind(6, account.ownerKind)
            insert.bind(7, account.ownerID)
            insert.bind(8, timestamp)
            try insert.run()
            statementsForAccounts.insertBalance.bind(1, account.id.rawValue)
            try statementsForAccounts.insertBalance.run()
            ledgerState.accounts.append(AccountState(balance: .zero, assetID: account.asset.id, flags: account.flags,
                                                                mode: LedgerMode(code: account.code)))
        }
        return planned
    }

    private func account(code: String) throws(LedgerError) -> Account? {
        let lookup = statementsForAccounts.accountByCode
        defer { lookup.reset() }
        lookup.bind(1, code)
        guard try lookup.step() else { return nil }
        return StateLoader.account(from: lookup)
    }
}

extension JournalWriter: JournalLookup {
    func transferExists(_ id: TransferID) throws(LedgerError) -> Bool {
        let lookup = statementsForAccounts.transferExists
        defer { lookup.reset() }
        lookup.bind(1, id.rawValue)
        return try lookup.step()
    }

    func transfer(_ id: TransferID) throws(LedgerError) -> Transfer? {
        try first(statementsForAccounts.transferByID, id.rawValue)
    }

    func resolution(of pendingID: TransferID) throws(LedgerError) -> Transfer? {
        try first(statementsForAccounts.resolution, pendingID.rawValue)
    }

    func reversedMinor(of id: TransferID) throws(LedgerError) -> Int64 {
        let lookup = statementsForAccounts.reversedSum
        defer { lookup.reset() }
        lookup.bind(1, id.rawValue)
        _ = try lookup.step()
        return lookup.int64(0)
    }

    private func first(_ statement: PreparedStatement, _ key: Int64) throws(LedgerError) -> Transfer? {
        defer { statement.reset() }
        statement.bind(1, key)
        guard try statement.step() else { return nil }
        return TransferColumns.transfer(from: statement)
    }
}
