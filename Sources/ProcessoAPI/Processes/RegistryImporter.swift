import CSQLite
import Foundation

/// Imports a CSV file of protocols and CNJ numbers into the SQLite registry that
/// `SQLiteProcessRegistry` reads; `processo-api registry import FILE.csv` calls it.
///
/// The whole file is checked before the database is touched, so a file with any invalid line imports
/// nothing. A valid file is written in one transaction that adds new protocols and replaces the number
/// of existing ones. Protocols missing from the file stay as they are. The database file and its
/// `processes` table are created when missing. See `RegistryCSV` for the accepted format.
public struct RegistryImporter: Sendable {
    /// The SQLite file to create or update.
    public let databasePath: String
    private let logger: Logger

    public init(databasePath: String, logger: Logger) {
        self.databasePath = databasePath
        self.logger = logger
    }

    /// Reads the CSV file at `csvPath` and imports it.
    public func importFile(atPath csvPath: String) throws(RegistryImportError) -> RegistryImportSummary {
        try importCSV(Self.readFile(atPath: csvPath), source: csvPath)
    }

    /// Imports CSV content. `source` names the content in errors and logs.
    public func importCSV(_ bytes: [UInt8], source: String) throws(RegistryImportError) -> RegistryImportSummary {
        let (rows, problems) = RegistryCSV.parse(bytes)
        guard problems.isEmpty else {
            throw .invalidRows(path: source, problems: problems)
        }

        let summary: RegistryImportSummary
        do {
            summary = try write(rows)
        } catch {
            throw .databaseFailed(path: databasePath, reason: error.description)
        }
        logger.info(
            "process registry imported",
            [
                "registry.path": databasePath, "import.source": source, "import.rows": String(summary.importedRows),
                "import.added": String(summary.addedRows), "registry.rows": String(summary.totalRows),
            ])
        return summary
    }

    static let createTable = "CREATE TABLE IF NOT EXISTS processes (protocol TEXT PRIMARY KEY, process_number TEXT NOT NULL)"

    static let upsert = """
        INSERT INTO processes (protocol, process_number) VALUES (?1, ?2)
        ON CONFLICT (protocol) DO UPDATE SET process_number = excluded.process_number
        """

    /// Writes `rows` in one transaction and counts the protocols before and after it.
    private func write(_ rows: [RegistryRow]) throws(SQLiteError) -> RegistryImportSummary {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let database = try SQLiteDatabase(path: databasePath, flags: flags)
        // A second import running at the same time waits for this one instead of failing at once.
        try database.setBusyTimeout(milliseconds: 5000)
        // IMMEDIATE takes the write lock now, so the counts below cannot change under the import.
        try database.execute("BEGIN IMMEDIATE")
        do {
            try database.execute(Self.createTable)
            let countBefore = try Self.countRows(in: database)
            let insert = try database.prepare(Self.upsert)
            for row in rows {
                try insert.bind(row.protocolNumber, at: 1)
                try insert.bind(row.processNumber.digits, at: 2)
                _ = try insert.step()
                insert.reset()
            }
            let countAfter = try Self.countRows(in: database)
            try database.execute("COMMIT")
            return RegistryImportSummary(importedRows: rows.count, addedRows: countAfter - countBefore, totalRows: countAfter)
        } catch {
            // If the rollback fails too, closing the connection rolls the transaction back.
            try? database.execute("ROLLBACK")
            throw error
        }
    }

    private static func countRows(in database: SQLiteDatabase) throws(SQLiteError) -> Int {
        let statement = try database.prepare("SELECT count(*) FROM processes")
        _ = try statement.step()
        return statement.integer(at: 0)
    }

    /// Reads a whole file with `open` and `read`, retrying reads that a signal interrupts.
    static func readFile(atPath path: String) throws(RegistryImportError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }

        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 {
                return bytes
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadableFile(path: path, reason: String(cString: strerror(errno)))
            }
            bytes += chunk[0..<count]
        }
    }
}

/// The counts of rows that one import wrote.
public struct RegistryImportSummary: Sendable, Equatable, CustomStringConvertible {
    /// Data rows read from the file and written to the database.
    public var importedRows: Int
    /// How many of them added a protocol the database did not have. The others replaced the number of
    /// an existing protocol, possibly with the same value.
    public var addedRows: Int
    /// Protocols in the database after the import.
    public var totalRows: Int

    public init(importedRows: Int, addedRows: Int, totalRows: Int) {
        self.importedRows = importedRows
        self.addedRows = addedRows
        self.totalRows = totalRows
    }

    /// Rows that replaced the number of a protocol already in the database.
    public var updatedRows: Int { importedRows - addedRows }

    public var description: String {
        "Imported \(importedRows) rows (\(addedRows) added, \(updatedRows) updated); the registry now holds \(totalRows) protocols."
    }
}
