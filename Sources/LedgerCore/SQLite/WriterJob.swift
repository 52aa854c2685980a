/// A request waiting for the writer, with the continuation that receives its own result.
enum WriterJob {
    case commit(TransferBatch, CheckedContinuation<Result<CommitReceipt, LedgerError>, Never>)
    case createAccounts([NewAccount], CheckedContinuation<Result<[Account], LedgerError>, Never>)
    case expire(CheckedContinuation<Result<Int, LedgerError>, Never>)

    var transferCount: Int {
        if case .commit(let batch, _) = self { return batch.transfers.count }
        return 1
    }

    func fail(_ error: LedgerError) {
        switch self {
        case .commit(_, let continuation): continuation.resume(returning: .failure(error))
        case .createAccounts(_, let continuation): continuation.resume(returning: .failure(error))
        case .expire(let continuation): continuation.resume(returning: .failure(error))
        }
    }
}
