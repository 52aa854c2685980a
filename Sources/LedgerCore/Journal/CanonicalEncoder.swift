import Crypto

/// Computes the journal's hash chain: each row's hash is
/// SHA-256(previous hash ‖ canonical form of the row), where the canonical form is
///
///     "LJ1" seq id debit credit amount asset flags pending_id reverses_id timeout code timestamp
///     metadata_present(1 byte) metadata_length metadata_utf8
///
/// with every integer as 8 bytes big-endian and a missing id as 0. The layout is stable: a
/// change makes a new tag. One encoder reuses its buffer, so hashing allocates nothing.
struct CanonicalEncoder {
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(256) }

    /// The hash of a row whose predecessor's hash is `previous`.
    mutating func hash(of row: Transfer.Fields, previous: JournalHash) -> JournalHash {
        buffer.removeAll(keepingCapacity: true)
        previous.withBytes { buffer.append(contentsOf: $0) }
        buffer.append(contentsOf: [0x4c, 0x4a, 0x31])  // "LJ1"
        // Field by field rather than through an array literal: this runs once per transfer.
        append(row.seq)
        append(row.id.rawValue)
        append(row.debitAccountID.rawValue)
        append(row.creditAccountID.rawValue)
        append(row.amountMinor)
        append(row.assetID)
        append(row.flags.rawValue)
        append(row.pendingID?.rawValue ?? 0)
        append(row.reversesID?.rawValue ?? 0)
        append(row.timeoutSeconds)
        append(row.code)
        append(row.timestamp)
        if let metadata = row.metadata {
            buffer.append(1)
            append(Int64(metadata.utf8.count))
            buffer.append(contentsOf: metadata.utf8)
        } else {
            buffer.append(0)
        }
        return buffer.withUnsafeBytes { raw in
            Self.sha256(raw)
        }
    }

    /// The hash of an idempotent request, to tell a replay from a conflicting reuse of its key.
    mutating func requestHash(of batch: TransferBatch) -> JournalHash {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: [0x52, 0x51, 0x31])  // "RQ1"
        for request in batch.transfers {
            let (kindTag, reference, timeout) = Self.kindFields(request.kind)
            for value in [request.id.rawValue, kindTag, reference, timeout,
                          request.debitAccountID?.rawValue ?? 0, request.creditAccountID?.rawValue ?? 0,
                          request.amountMinor ?? 0, request.amountMinor == nil ? 0 : 1,
                          request.asset?.id ?? 0, request.code] {
                append(value)
            }
            append(Int64(request.metadata?.utf8.count ?? -1))
            if let metadata = request.metadata { buffer.append(contentsOf: metadata.utf8) }
        }
        return buffer.withUnsafeBytes { raw in
            Self.sha256(raw)
        }
    }

    private static func sha256(_ bytes: UnsafeRawBufferPointer) -> JournalHash {
        var hasher = SHA256()
        hasher.update(bufferPointer: bytes)
        return hasher.finalize().withUnsafeBytes { JournalHash(bytes: $0)! }
    }

    private static func kindFields(_ kind: TransferRequest.Kind) -> (Int64, Int64, Int64) {
        switch kind {
        case .posted: (0, 0, 0)
        case .pending(let timeout): (1, 0, timeout)
        case .postPending(let id): (2, id.rawValue, 0)
        case .voidPending(let id): (3, id.rawValue, 0)
        case .reversal(let id): (4, id.rawValue, 0)
        }
    }

    private mutating func append(_ value: Int64) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }
}

extension Transfer {
    /// A row's content without its hash: what the canonical form covers.
    struct Fields {
        var seq: Int64
        var id: TransferID
        var debitAccountID: AccountID
        var creditAccountID: AccountID
        var amountMinor: Int64
        var assetID: Int64
        var flags: TransferFlags
        var pendingID: TransferID?
        var reversesID: TransferID?
        var timeoutSeconds: Int64
        var code: Int64
        var timestamp: Int64
        var metadata: String?
    }

    var fields: Fields {
        Fields(seq: seq, id: id, debitAccountID: debitAccountID, creditAccountID: creditAccountID, amountMinor: amountMinor,
               assetID: assetID, flags: flags, pendingID: pendingID, reversesID: reversesID, timeoutSeconds: timeoutSeconds,
               code: code, timestamp: timestamp, metadata: metadata)
    }

    init(_ fields: Fields, hash: JournalHash) {
        self.init(seq: fields.seq, id: fields.id, debitAccountID: fields.debitAccountID, creditAccountID: fields.creditAccountID,
                  amountMinor: fields.amountMinor, assetID: fields.assetID, flags: fields.flags, pendingID: fields.pendingID,
                  reversesID: fields.reversesID, timeoutSeconds: fields.timeoutSeconds, code: fields.code,
                  timestamp: fields.timestamp, metadata: fields.metadata, hash: hash)
    }
}
