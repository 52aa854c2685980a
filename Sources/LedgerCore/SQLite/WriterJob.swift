/// What a caller asks of the writer thread; the continuation is resumed after the commit.
enum WriterJob {
    case commit(TransferBatch, CheckedContinuation<Result<CommitReceipt, LedgerError>, Never>)
    case createAccounts([NewAccount], CheckedContinuation<Result<[Account], LedgerError>, Never>)
    case expire(CheckedContinuation<Result<Int, LedgerError>, Never>)
    case transaction(TransactionJob)

    var transferCount: Int {
        if case .commit(let batch, _) = self { return batch.transfers.count }
        // A transaction's batches are unknown until it runs; the marketplace's carry a few
        // transfers each (an operation holds at most 16), so each counts as one.
        return 1
    }

    func fail(_ error: LedgerError) {
        switch self {
        case .commit(_, let continuation): continuation.resume(returning: .failure(error))
        case .createAccounts(_, let continuation): continuation.resume(returning: .failure(error))
        case .expire(let continuation): continuation.resume(returning: .failure(error))
        case .transaction(let job): job.finish(error)
        }
    }
}

/// A caller's work inside the group commit: `run` gets the open transaction and says whether
/// it succeeded (it keeps its own result); `finish` runs once the commit is durable, or failed.
final class TransactionJob: @unchecked Sendable {
    let run: (LedgerTransaction) -> Bool
    let finish: (LedgerError?) -> Void

    init(run: @escaping (LedgerTransaction) -> Bool, finish: @escaping (LedgerError?) -> Void) {
        self.run = run
        self.finish = finish
    }
}
