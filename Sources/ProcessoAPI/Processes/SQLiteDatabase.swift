import CSQLite

/// A failed SQLite call, before the registry or the importer turns it into its own error.
struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The C function that failed, such as `sqlite3_prepare_v2`.
    var function: String
    /// SQLite's result code (`SQLITE_BUSY`, `SQLITE_CANTOPEN`, ...).
    var code: Int32
    /// `sqlite3_errmsg` when a connection exists, otherwise `sqlite3_errstr` of the code.
    var message: String

    var description: String { "\(function) failed with code \(code): \(message)" }
}

/// An SQLite connection. It owns the `sqlite3` handle and closes it in `deinit`.
///
/// Not `Sendable`: callers keep a connection on one thread at a time, or behind a lock.
final class SQLiteDatabase {
    let handle: OpaquePointer
    let path: String

    /// Opens the database at `path` with `sqlite3_open_v2` flags such as `SQLITE_OPEN_READONLY`.
    init(path: String, flags: Int32) throws(SQLiteError) {
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            // SQLite allocates a handle even when the open fails, and it must still be closed.
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close(handle)
            throw SQLiteError(function: "sqlite3_open_v2", code: code, message: message)
        }
        self.handle = handle
        self.path = path
    }

    deinit {
        // Every SQLiteStatement holds a reference to its database, so none is left unfinalized here.
        sqlite3_close(handle)
    }

    /// Makes a call that meets a lock wait up to `milliseconds` before it returns `SQLITE_BUSY`.
    func setBusyTimeout(milliseconds: Int32) throws(SQLiteError) {
        try check(sqlite3_busy_timeout(handle, milliseconds), "sqlite3_busy_timeout")
    }

    /// Runs SQL that returns no rows, such as `BEGIN IMMEDIATE` or `CREATE TABLE`.
    func execute(_ sql: String) throws(SQLiteError) {
        try check(sqlite3_exec(handle, sql, nil, nil, nil), "sqlite3_exec")
    }

    func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        try check(sqlite3_prepare_v2(handle, sql, -1, &statement, nil), "sqlite3_prepare_v2")
        guard let statement else {
            // SQLite returns no statement for SQL that is only whitespace or comments.
            throw SQLiteError(function: "sqlite3_prepare_v2", code: SQLITE_MISUSE, message: "the SQL contains no statement")
        }
        return SQLiteStatement(handle: statement, database: self)
    }

    /// Throws an `SQLiteError` with the connection's message when `code` is not `SQLITE_OK`.
    func check(_ code: Int32, _ function: String) throws(SQLiteError) {
        guard code == SQLITE_OK else {
            throw SQLiteError(function: function, code: code, message: String(cString: sqlite3_errmsg(handle)))
        }
    }
}

/// A prepared statement. It owns the `sqlite3_stmt` handle and finalizes it in `deinit`.
final class SQLiteStatement {
    private let handle: OpaquePointer
    /// Kept so the connection outlives the statement.
    private let database: SQLiteDatabase

    fileprivate init(handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds `text` to the 1-based parameter `index`. The byte count is passed explicitly, so a NUL
    /// inside `text` is kept rather than ending the string.
    func bind(_ text: String, at index: Int32) throws(SQLiteError) {
        let code = text.withCString { pointer in
            sqlite3_bind_text(handle, index, pointer, Int32(text.utf8.count), csqlite_transient)
        }
        try database.check(code, "sqlite3_bind_text")
    }

    /// Advances to the next row. Returns `true` while a row is available and `false` when done.
    func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteError(function: "sqlite3_step", code: code, message: String(cString: sqlite3_errmsg(database.handle)))
        }
    }

    /// Returns the text of a 0-based column in the current row, or `nil` for SQL NULL.
    func text(at column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func integer(at column: Int32) -> Int {
        Int(sqlite3_column_int64(handle, column))
    }

    /// Makes the statement ready to run again with new bindings. Errors from the last step were
    /// already thrown by `step()`, so the result code of `sqlite3_reset` is not checked again.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }
}
