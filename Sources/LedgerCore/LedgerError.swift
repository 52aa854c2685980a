/// Why the ledger refused a request. Nothing is written when any of these is thrown.
///
/// `index` is the transfer's position in its batch; `field` names the request field at fault
/// in the API's spelling (`transfers[3].amount`), so an edge can report it as is.
public enum LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    case emptyBatch
    case batchTooLarge(count: Int, max: Int)
    case invalidTransferID(index: Int, id: TransferID)
    case transferExists(index: Int, id: TransferID)
    case missingField(index: Int, field: String)
    case amountNotPositive(index: Int, amountMinor: Int64)
    case unknownAccount(index: Int, field: String, id: AccountID)
    case sameAccount(index: Int, id: AccountID)
    case assetMismatch(index: Int, asset: String, debitAsset: String, creditAsset: String)
    /// A transfer between a test-mode and a live account (see `LedgerMode`).
    case modeMismatch(index: Int, debit: AccountID, credit: AccountID)
    case exceedsCredits(index: Int, account: AccountID, availableMinor: Int64, requestedMinor: Int64)
    case exceedsDebits(index: Int, account: AccountID, availableMinor: Int64, requestedMinor: Int64)
    case overflow(index: Int, account: AccountID)
    case timeoutOutOfRange(index: Int, timeoutSeconds: Int64)
    case metadataTooLong(index: Int, bytes: Int)
    case pendingNotFound(index: Int, pendingID: TransferID)
    case notPending(index: Int, id: TransferID)
    case pendingAlreadyPosted(index: Int, pendingID: TransferID)
    case pendingAlreadyVoided(index: Int, pendingID: TransferID)
    case pendingExpired(index: Int, pendingID: TransferID)
    case postExceedsPending(index: Int, pendingID: TransferID, pendingMinor: Int64, requestedMinor: Int64)
    case reversalTargetNotFound(index: Int, id: TransferID)
    case reversalTargetNotPosted(index: Int, id: TransferID)
    case reversalExceedsOriginal(index: Int, id: TransferID, remainingMinor: Int64, requestedMinor: Int64)
    case idempotencyKeyInvalid
    case idempotencyConflict(key: String)
    case accountCodeInvalid(code: String)
    case accountExists(code: String)
    case accountFlagsConflict(code: String)
    case databaseNewerThanBinary(migrations: [String])
    case storage(String)
    case closed
    /// The writer's queue is full (`queued` commits wait): nothing was written; the same
    /// request may succeed shortly.
    case busy(queued: Int)
    /// Another process holds the file's writer lock (`holder` is what it recorded).
    case writerLocked(path: String, holder: String)
    /// The ledger was opened for reading only (a report or a check beside a running server).
    case readOnly

    /// The request field at fault, in the API's spelling, when there is one.
    public var field: String? {
        switch self {
        case .emptyBatch, .batchTooLarge: "transfers"
        case .invalidTransferID(let index, _), .transferExists(let index, _): "transfers[\(index)].id"
        case .missingField(let index, let field): "transfers[\(index)].\(field)"
        case .amountNotPositive(let index, _), .postExceedsPending(let index, _, _, _), .reversalExceedsOriginal(let index, _, _, _),
             .exceedsCredits(let index, _, _, _), .exceedsDebits(let index, _, _, _), .overflow(let index, _):
            "transfers[\(index)].amount"
        case .unknownAccount(let index, let field, _): "transfers[\(index)].\(field)"
        case .sameAccount(let index, _): "transfers[\(index)].credit_account_id"
        case .assetMismatch(let index, _, _, _): "transfers[\(index)].asset"
        case .modeMismatch(let index, _, _): "transfers[\(index)].credit_account_id"
        case .timeoutOutOfRange(let index, _): "transfers[\(index)].timeout_seconds"
        case .metadataTooLong(let index, _): "transfers[\(index)].metadata"
        case .pendingNotFound(let index, _), .notPending(let index, _), .pendingAlreadyPosted(let index, _),
             .pendingAlreadyVoided(let index, _), .pendingExpired(let index, _):
            "transfers[\(index)].pending_id"
        case .reversalTargetNotFound(let index, _), .reversalTargetNotPosted(let index, _): "transfers[\(index)].reverses_id"
        case .idempotencyKeyInvalid, .idempotencyConflict: "idempotency_key"
        case .accountCodeInvalid, .accountExists: "code"
        case .accountFlagsConflict: "flags"
        case .storage, .closed, .busy, .databaseNewerThanBinary, .writerLocked, .readOnly: nil
        }
    }

    /// True when the same request may succeed later unchanged (the store failed or was closing).
    public var isTransient: Bool {
        switch self {
        case .storage, .closed, .busy: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .emptyBatch: "a batch needs at least one transfer"
        case .batchTooLarge(let count, let max): "a batch of \(count) transfers is over the limit of \(max)"
        case .invalidTransferID(_, let id): "transfer id \(id) is not a positive integer"
        case .transferExists(_, let id): "transfer id \(id) is already used"
        case .missingField(_, let field): "\(field) is required for this kind of transfer"
        case .amountNotPositive(_, let amount): "amount must be greater than zero, got \(amount)"
        case .unknownAccount(_, _, let id): "account \(id) does not exist"
        case .sameAccount(_, let id): "debit and credit account are both \(id)"
        case .assetMismatch(_, let asset, let debit, let credit):
            "transfer in \(asset) between accounts in \(debit) and \(credit)"
        case .modeMismatch(_, let debit, let credit):
            "accounts \(debit) and \(credit) are in different modes: test-mode money never moves to or from a live account"
        case .exceedsCredits(_, let account, let available, let requested):
            "insufficient funds in account \(account): \(available) available, \(requested) requested"
        case .exceedsDebits(_, let account, let available, let requested):
            "account \(account) may not be credited beyond its debits: \(available) available, \(requested) requested"
        case .overflow(_, let account): "a balance of account \(account) would overflow"
        case .timeoutOutOfRange(_, let timeout): "timeout of \(timeout) s is out of range"
        case .metadataTooLong(_, let bytes): "metadata of \(bytes) bytes is over the limit of \(TransferRequest.metadataBytesMax)"
        case .pendingNotFound(_, let id): "pending transfer \(id) does not exist"
        case .notPending(_, let id): "transfer \(id) is not a pending transfer"
        case .pendingAlreadyPosted(_, let id): "pending transfer \(id) is already posted"
        case .pendingAlreadyVoided(_, let id): "pending transfer \(id) is already voided"
        case .pendingExpired(_, let id): "pending transfer \(id) has expired"
        case .postExceedsPending(_, let id, let pending, let requested):
            "posting \(requested) exceeds the \(pending) held by pending transfer \(id)"
        case .reversalTargetNotFound(_, let id): "transfer \(id) to reverse does not exist"
        case .reversalTargetNotPosted(_, let id): "transfer \(id) is not a posted movement and cannot be reversed"
        case .reversalExceedsOriginal(_, let id, let remaining, let requested):
            "reversing \(requested) exceeds the \(remaining) left to reverse on transfer \(id)"
        case .idempotencyKeyInvalid: "idempotency key must be 1 to \(TransferBatch.idempotencyKeyLengthMax) characters"
        case .idempotencyConflict(let key): "idempotency key '\(key)' was used with a different request"
        case .accountCodeInvalid(let code): "account code '\(code)' must be 1 to \(NewAccount.codeLengthMax) characters"
        case .accountExists(let code): "account '\(code)' exists with other attributes"
        case .accountFlagsConflict(let code): "account '\(code)' cannot constrain both debits and credits"
        case .databaseNewerThanBinary(let migrations):
            "the database was migrated by a newer binary (unknown migrations: \(migrations.joined(separator: ", "))); refusing to open it"
        case .storage(let message): "storage failed: \(message)"
        case .closed: "the ledger is closed"
        case .busy(let queued): "the ledger is busy (\(queued) commits are waiting); retry shortly"
        case .writerLocked(let path, let holder):
            "\(path) is open for writing by \(holder); one process writes a ledger file (use that server's API, or stop it first)"
        case .readOnly: "the ledger is open for reading only"
        }
    }
}
