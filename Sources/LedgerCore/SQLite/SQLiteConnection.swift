import CSQLite

/// A raw libsqlite3 connection. The ledger's writer borrows the handle of GRDB's writer
/// connection, so the journal and the marketplace's tables share one writer and one commit;
/// the hot path binds and steps cached prepared statements directly.
/// Not thread-safe: it belongs to whoever holds GRDB's writer.
final class SQLiteConnection {
    let handle: OpaquePointer
    /// False when the handle is borrowed: its owner closes it.
    private let ownsHandle: Bool

    /// Wraps a connection someone else opened and will close.
    init(borrowing handle: OpaquePointer) {
        self.handle = handle
        ownsHandle = false
    }

    init(path: String) throws(LedgerError) {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(db)
            throw .storage("open \(path): \(message)")
        }
        handle = db
        ownsHandle = true
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, 5_000)
    }

    deinit { if ownsHandle { sqlite3_close_v2(handle) } }

    func execute(_ sql: String) throws(LedgerError) {
        var error: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &error)
        if code != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastError
            sqlite3_free(error)
            throw .storage("\(sql): \(message)")
        }
    }

    func prepare(_ sql: String) throws(LedgerError) -> PreparedStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK, let statement else {
            throw .storage("prepare \(sql): \(lastError)")
        }
        return PreparedStatement(handle: statement, connection: self)
    }

    var lastError: String { String(cString: sqlite3_errmsg(handle)) }
}

/// A prepared statement: bind by 1-based index, step, read columns, reset.
final class PreparedStatement {
    let handle: OpaquePointer
    unowned let connection: SQLiteConnection
    private var isFinalized = false

    /// SQLITE_TRANSIENT: SQLite copies bound text and blobs before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(handle: OpaquePointer, connection: SQLiteConnection) {
        self.handle = handle
        self.connection = connection
    }

    deinit { finalize() }

    /// Releases the statement now (a connection with live statements cannot be closed).
    func finalize() {
        guard !isFinalized else { return }
        isFinalized = true
        sqlite3_finalize(handle)
    }

    @inline(__always) func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    @inline(__always) func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ text: String?) {
        guard let text else { sqlite3_bind_null(handle, index); return }
        var copy = text
        copy.withUTF8 { utf8 in
            _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(utf8.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(utf8.count), Self.transient)
        }
    }

    func bind(_ index: Int32, blob: UnsafeRawBufferPointer) {
        sqlite3_bind_blob(handle, index, blob.baseAddress, Int32(blob.count), Self.transient)
    }

    /// Binds `blob` without a copy (SQLITE_STATIC), runs the statement and resets it, all
    /// while the bytes are alive. Saves an allocation per journal row.
    func run(binding index: Int32, blob: UnsafeRawBufferPointer) throws(LedgerError) {
        sqlite3_bind_blob(handle, index, blob.baseAddress, Int32(blob.count), nil)
        defer {
            sqlite3_reset(handle)
            sqlite3_bind_null(handle, index)
        }
        _ = try step()
    }

    /// Runs the statement one step: true when a row is ready, false when done.
    @discardableResult
    func step() throws(LedgerError) -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        let message = connection.lastError
        sqlite3_reset(handle)
        throw .storage(message)
    }

    /// Runs a statement that returns no rows, then resets it.
    func run() throws(LedgerError) {
        defer { sqlite3_reset(handle) }
        _ = try step()
    }

    func reset() { sqlite3_reset(handle) }

    @inline(__always) func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func optionalInt64(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    func blob(_ column: Int32) -> [UInt8] {
        guard let pointer = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
