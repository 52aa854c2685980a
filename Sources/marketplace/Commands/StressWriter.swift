import ArgumentParser
import Foundation
import LedgerCore

/// `marketplace ledger stress-writer`: commits transfers from several concurrent callers
/// until killed, appending each acknowledged transfer id to a file only after its commit
/// returned. The durability test kills it with SIGKILL and checks every acknowledged id.
struct StressWriter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stress-writer", abstract: "Commit until killed (durability test).",
                                                    shouldDisplay: false)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "File that receives one acknowledged transfer id per line.") var ackFile: String
    @Option(help: "Concurrent callers.") var callers: Int = 8
    @Option(help: "Transfers per batch.") var batchSize: Int = 16
    @Option(help: "Distinguishes the ids of successive runs on one database.") var run: Int64 = 0

    func run() async throws {
        try database.prepareDirectory()
        let ledger = try Ledger(path: database.db)
        let accounts = try await ledger.createAccounts([
            NewAccount(code: "stress:source", type: .equity, asset: .usd),
            NewAccount(code: "stress:wallet", type: .liability, asset: .usd, flags: .debitsMustNotExceedCredits),
        ])
        _ = FileManager.default.createFile(atPath: ackFile, contents: nil)
        let acks = try FileHandle(forWritingTo: URL(fileURLWithPath: ackFile))
        let lock = NSLock()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    var next = run * 1_000_000_000_000 + Int64(caller) * 1_000_000_000 + 1
                    while true {
                        let ids = (0..<Int64(batchSize)).map { TransferID(next + $0) }
                        next += Int64(batchSize)
                        let batch = ids.map { TransferRequest.posted(id: $0, debit: accounts[0].id, credit: accounts[1].id, amountMinor: 1, asset: .usd) }
                        _ = try await ledger.commit(batch)
                        let line = ids.map { "\($0.rawValue)\n" }.joined()
                        lock.withLock { acks.write(Data(line.utf8)) }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
