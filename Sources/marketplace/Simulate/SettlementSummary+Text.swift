import LedgerCore

extension SettlementSummary {
    /// The summary as text, amounts in decimal units. Every line but `timingText` is the same
    /// for the same seed.
    var text: String {
        var lines = [
            "simulate: seed \(seed), \(agents) agents, \(workers) workers, \(tasks) tasks",
            "outcomes: " + TaskOutcome.allCases.map { "\($0.rawValue) \(outcomes[$0.rawValue] ?? 0)" }.joined(separator: ", ")
                + " (mock operator did \(mockOperatorTasks); \(serviceOrderTasks) were orders of a service)",
            "paths: " + paths.sorted { $0.key < $1.key }.map { "\($0.key.split(separator: "_").joined(separator: " ")) \($0.value)" }.joined(separator: ", "),
            "",
        ]
        lines += Self.table(settlement)
        lines += [
            "",
            "gas paid by the hot wallet: \(MinorUnits.format(gasMinor, scale: Asset.eth.scale)) ETH",
            "tasks settled: \(tasksSettled) of \(tasks)",
            "ledger verify: transfers \(verify.transfersChecked), accounts \(verify.accountsChecked), open holds \(verify.holdsOpen)",
            verify.fault.map { "ledger verify: FAULT: \($0)" } ?? "ledger verify: ok: the ledger is consistent",
            ledgerDisagreements.isEmpty ? "summary against the ledger: fees and frozen money agree, no hold left open"
                : "summary against the ledger: " + ledgerDisagreements.joined(separator: "; "),
        ]
        return lines.joined(separator: "\n")
    }

    /// Wall time and throughput: the one line that changes from run to run.
    var timingText: String {
        guard let timing else { return "" }
        return "wall time \(timing.wallSeconds) s, \(timing.tasksPerSecond) tasks settled per second"
    }

    static let columns = ["asset", "connector", "tasks", "deposited", "funded", "fees", "to workers", "paid out", "payouts failed",
                          "refunded", "refunds failed", "frozen"]

    /// Left-aligned names, right-aligned figures.
    static func table(_ rows: [Row]) -> [String] {
        let cells = rows.map { row -> [String] in
            let scale = Asset.named(row.asset)?.scale ?? 0
            let amounts = [row.depositedMinor, row.fundedMinor, row.feesMinor, row.toWorkersMinor, row.paidOutMinor, row.payoutsFailedMinor,
                           row.refundedMinor, row.refundsFailedMinor, row.frozenMinor]
            return [row.asset, row.connector, String(row.tasks)] + amounts.map { MinorUnits.format($0, scale: scale) }
        }
        let widths = columns.indices.map { column in ([columns] + cells).map { $0[column].count }.max() ?? 0 }
        func line(_ values: [String]) -> String {
            values.enumerated().map { column, value in
                let padding = String(repeating: " ", count: widths[column] - value.count)
                return column < 2 ? value + padding : padding + value
            }.joined(separator: "  ")
        }
        return [line(columns)] + cells.map(line)
    }
}
