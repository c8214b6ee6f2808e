import CSQLite
import Foundation
import Synchronization

/// The process registry kept in an SQLite file, opened read-only. `RegistrySchema` describes the file.
///
/// Threads share one connection and its prepared statements behind a `Mutex`. A lookup is one
/// indexed search, so the lock is held briefly, and one connection keeps one file descriptor and one
/// page cache however many worker threads there are. The connection is also opened with
/// `SQLITE_OPEN_FULLMUTEX`, so SQLite serializes its calls whatever threading mode it was built with.
///
/// An instance reads the file it opened for as long as it lives, even after an import renames a new
/// file over it. `ReopeningProcessRegistry` notices the new file and opens it.
public final class SQLiteProcessRegistry: ProcessRegistry {
    /// The connection and its statements, used only under the lock.
    private final class Connection {
        let database: SQLiteDatabase
        let version: Int
        let byProtocol: SQLiteStatement
        let documentOfProcess: SQLiteStatement

        init(database: SQLiteDatabase) throws(SQLiteError) {
            self.database = database
            version = try RegistrySchema.userVersion(of: database)
            let queries = RegistrySchema.queries(version: version)
            byProtocol = try database.prepare(queries.byProtocol)
            documentOfProcess = try database.prepare(queries.documentOfProcess)
        }
    }

    public let databasePath: String
    /// The device and inode of the file when it was opened, or `nil` when `stat` failed.
    let fileIdentity: FileIdentity?
    /// Protocols in the file when it was opened.
    public let rowCount: Int
    private let connection: Mutex<Connection>

    /// Opens the registry and checks that it has the `processes` table.
    ///
    /// - Parameter busyTimeoutMilliseconds: How long a lookup waits for a lock held by another
    ///   connection before it fails. Imports write a new file, so this only matters for files that
    ///   another program changes in place.
    /// - Throws: `RegistryError` when the file is missing, is not an SQLite database, or lacks the table.
    public init(databasePath: String, logger: Logger, busyTimeoutMilliseconds: Int32 = 5000) throws(RegistryError) {
        self.databasePath = databasePath
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw RegistryError(
                "The process registry \(databasePath) does not exist. Create it with `processo-api registry import FILE.csv`.")
        }
        // Taken before the open. If an import renames a file in between, the identity is the old
        // one, so the next lookup finds a different file at the path and opens it again, which is harmless.
        fileIdentity = FileIdentity(path: databasePath)
        let connection: Connection
        do {
            let database = try SQLiteDatabase(path: databasePath, flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX)
            try database.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
            connection = try Connection(database: database)
            let count = try database.prepare("SELECT count(*) FROM processes")
            _ = try count.step()
            rowCount = count.integer(at: 0)
        } catch {
            throw RegistryError("The process registry \(databasePath) could not be opened: \(error.message).")
        }
        self.connection = Mutex(connection)
        logger.info(
            "process registry opened",
            ["registry.path": databasePath, "registry.rows": String(rowCount), "registry.version": String(connection.version)])
    }

    /// Returns the record for `protocolNumber` after `ProtocolKey` normalization, or `nil` when the
    /// protocol has no letter or digit or is not registered.
    public func record(forProtocol protocolNumber: String) throws(RegistryError) -> RegistryRecord? {
        let key = ProtocolKey.normalize(protocolNumber)
        guard !key.isEmpty else { return nil }

        let found: (protocolText: String?, number: String?, document: String?)?
        do {
            found = try connection.withLock { (connection) throws(SQLiteError) -> (String?, String?, String?)? in
                let statement = connection.byProtocol
                defer { statement.reset() }
                // Version 0 files store the trimmed protocol as written, not its key.
                let value = connection.version >= 2 ? key : protocolNumber.trimmingCharacters(in: .whitespacesAndNewlines)
                try statement.bind(value, at: 1)
                guard try statement.step() else { return nil }
                return (statement.text(at: 0), statement.text(at: 1), statement.text(at: 2))
            }
        } catch {
            throw RegistryError("Looking up protocol \"\(key)\" in the process registry \(databasePath) failed: \(error.message).")
        }
        guard let found else { return nil }
        return try Self.record(protocolText: found.protocolText, number: found.number, document: found.document, path: databasePath)
    }

    public func documentName(forProcess number: CNJNumber) throws(RegistryError) -> String? {
        do {
            return try connection.withLock { (connection) throws(SQLiteError) -> String? in
                let statement = connection.documentOfProcess
                defer { statement.reset() }
                try statement.bind(number.digits, at: 1)
                return try statement.step() ? statement.text(at: 0) : nil
            }
        } catch {
            throw RegistryError("Looking up the document of process \(number) in the process registry \(databasePath) failed: \(error.message).")
        }
    }

    /// Builds a record from stored columns, checking the number the file contains.
    static func record(protocolText: String?, number: String?, document: String?, path: String) throws(RegistryError) -> RegistryRecord {
        let stored = number ?? ""
        do {
            return RegistryRecord(protocolNumber: protocolText ?? "", processNumber: try CNJNumber(stored), document: document)
        } catch {
            throw RegistryError(
                "The process registry \(path) stores \"\(stored)\" for protocol \"\(protocolText ?? "")\", which is not a valid CNJ number (\(error))."
            )
        }
    }

    /// Reads every record of the file at `databasePath`, in protocol order, for export and imports.
    public static func readAllRecords(databasePath: String) throws(RegistryError) -> [RegistryRecord] {
        var rows: [(String?, String?, String?)] = []
        do {
            let database = try SQLiteDatabase(path: databasePath, flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX)
            let version = try RegistrySchema.userVersion(of: database)
            let statement = try database.prepare(RegistrySchema.queries(version: version).all)
            while try statement.step() {
                rows.append((statement.text(at: 0), statement.text(at: 1), statement.text(at: 2)))
            }
        } catch {
            throw RegistryError("The process registry \(databasePath) could not be read: \(error.message).")
        }
        var records: [RegistryRecord] = []
        for row in rows {
            records.append(try record(protocolText: row.0, number: row.1, document: row.2, path: databasePath))
        }
        return records
    }
}

/// The device and inode of a file, which change when another file is renamed over its path.
struct FileIdentity: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64

    /// Runs `stat` on `path`; `nil` when it fails.
    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}
