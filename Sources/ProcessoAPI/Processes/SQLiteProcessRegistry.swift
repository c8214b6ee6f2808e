import CSQLite
import Foundation
import Synchronization

/// The process registry kept in an SQLite file, opened read-only.
///
/// The file contains `processes(protocol TEXT PRIMARY KEY, process_number TEXT NOT NULL)`, written by
/// `RegistryImporter`, with each number stored as its 20 digits.
///
/// Threads share one connection and one prepared lookup statement behind a `Mutex`. A lookup is one
/// primary-key search, so the lock is held briefly, and one connection keeps one file descriptor and
/// one page cache however many worker threads there are. The connection is also opened with
/// `SQLITE_OPEN_FULLMUTEX`, so SQLite serializes its calls whatever threading mode it was built with.
/// An import that runs while the service is up is seen by the next lookup, because the importer
/// updates the same file in place.
public final class SQLiteProcessRegistry: ProcessRegistry {
    /// The connection and its lookup statement, used only under the lock.
    private final class Lookup {
        let database: SQLiteDatabase
        let statement: SQLiteStatement

        init(database: SQLiteDatabase) throws(SQLiteError) {
            self.database = database
            statement = try database.prepare("SELECT process_number FROM processes WHERE protocol = ?1")
        }
    }

    public let databasePath: String
    private let lookup: Mutex<Lookup>

    /// Opens the registry and checks that it has the `processes` table.
    ///
    /// - Parameter busyTimeoutMilliseconds: How long a lookup waits while an import holds the write
    ///   lock before it fails.
    /// - Throws: `RegistryError` when the file is missing, is not an SQLite database, or lacks the table.
    public init(databasePath: String, logger: Logger, busyTimeoutMilliseconds: Int32 = 5000) throws(RegistryError) {
        self.databasePath = databasePath
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw RegistryError(
                "The process registry \(databasePath) does not exist. Create it with `processo-api registry import FILE.csv`.")
        }
        let rowCount: Int
        let lookup: Lookup
        do {
            let database = try SQLiteDatabase(path: databasePath, flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX)
            try database.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
            lookup = try Lookup(database: database)
            let count = try database.prepare("SELECT count(*) FROM processes")
            _ = try count.step()
            rowCount = count.integer(at: 0)
        } catch {
            throw RegistryError("The process registry \(databasePath) could not be opened: \(error.message).")
        }
        self.lookup = Mutex(lookup)
        logger.info("process registry opened", ["registry.path": databasePath, "registry.rows": String(rowCount)])
    }

    /// Returns the number registered for `protocolNumber` after trimming surrounding whitespace, or `nil`
    /// when the protocol is empty or not registered.
    public func processNumber(forProtocol protocolNumber: String) throws(RegistryError) -> CNJNumber? {
        let key = protocolNumber.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { return nil }

        let stored: String?
        do {
            stored = try lookup.withLock { (lookup) throws(SQLiteError) -> String? in
                defer { lookup.statement.reset() }
                try lookup.statement.bind(key, at: 1)
                return try lookup.statement.step() ? lookup.statement.text(at: 0) : nil
            }
        } catch {
            throw RegistryError("Looking up protocol \"\(key)\" in the process registry \(databasePath) failed: \(error.message).")
        }
        guard let stored else { return nil }

        do {
            return try CNJNumber(stored)
        } catch {
            throw RegistryError(
                "The process registry \(databasePath) stores \"\(stored)\" for protocol \"\(key)\", which is not a valid CNJ number (\(error)).")
        }
    }
}
