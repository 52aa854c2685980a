public import LedgerCore

extension FinanceService {
    /// The hledger / ledger-cli account name of a ledger account: its type's root, then its
    /// code as is ("liabilities:wallet:user:test:u1:USD"), so the code reads back by dropping
    /// the first segment.
    public static func journalAccount(_ account: Account) -> String {
        let root = switch account.type {
        case .asset: "assets"
        case .liability: "liabilities"
        case .equity: "equity"
        case .revenue: "revenues"
        case .expense: "expenses"
        }
        return "\(root):\(account.code)"
    }

    /// Every posted movement stamped before `before` as a plain-text accounting journal that
    /// hledger and ledger-cli read: one cleared transaction per journal row with two postings
    /// (debit positive, credit negative) in the asset's exact decimals, tagged with the
    /// transfer id, journal position, recipe and UTC time. Holds and voids move no posted
    /// money and are left out, so `hledger balance` equals the trial balance.
    public func exportJournal(before: Int64 = .max, _ write: (String) throws -> Void) throws(MarketplaceError) {
        let accounts = try accounts()
        let names = Dictionary(uniqueKeysWithValues: accounts.byID.values.map { ($0.id, Self.journalAccount($0)) })
        let recipes = Dictionary(uniqueKeysWithValues: RecipeCode.allCases.map { ($0.rawValue, "\($0)") })
        try ledgerRead {
            try write("; marketplace ledger journal: posted movements only, amounts in each asset's minor-unit decimals\n")
            for account in accounts.sorted {
                try write("account \(names[account.id]!)  ; type: \(account.type.rawValue)\n")
            }
            for asset in Set(accounts.byID.values.map(\.asset)).sorted(by: { $0.id < $1.id }) {
                try write("commodity \(MinorUnits.format(1_000_000_000, scale: asset.scale)) \(asset.code)\n")
            }
            try ledger.forEachTransfer(before: before) { transfer in
                guard transfer.flags.isEmpty || transfer.flags.contains(.postPending),
                      let debit = accounts[transfer.debitAccountID], let credit = names[transfer.creditAccountID] else { return }
                let amount = MinorUnits.format(transfer.amountMinor, scale: debit.asset.scale)
                let recipe = recipes[transfer.code] ?? "code \(transfer.code)"
                var text = "\n\(Timestamps.date(days: Timestamps.days(transfer.timestamp))) * \(recipe) #\(transfer.id.rawValue)\n"
                text += "    ; transfer: \(transfer.id.rawValue), seq: \(transfer.seq), time: \(Timestamps.format(transfer.timestamp))\n"
                if let reversed = transfer.reversesID { text += "    ; reverses: \(reversed.rawValue)\n" }
                text += "    \(names[debit.id]!)  \(amount) \(debit.asset.code)\n"
                text += "    \(credit)  -\(amount) \(debit.asset.code)\n"
                try write(text)
            }
        }
    }
}
