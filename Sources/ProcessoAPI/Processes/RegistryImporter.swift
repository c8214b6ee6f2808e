import CSQLite
import Foundation

/// Imports a CSV file of protocols, CNJ numbers and documents into the SQLite registry that
/// `SQLiteProcessRegistry` reads; `processo-api registry import [--replace] FILE.csv` calls it.
///
/// The whole file is checked before anything is written, so a file with any invalid line imports
/// nothing. Without `replace`, the file's rows are added to the registry's, and a protocol already
/// there gets the file's number and document. With `replace`, the registry becomes exactly the file.
///
/// Either way the importer writes a complete new database next to the registry and renames it over
/// the old one. A rename is atomic, so a running responder reads the old registry or the new one and
/// never a mix, and it opens the new file at its next lookup. Imports run one at a time, serialized
/// by `flock` on `<registry>.lock`. See `RegistryCSV` for the accepted format.
public struct RegistryImporter: Sendable {
    /// The SQLite file to create or replace.
    public let databasePath: String
    private let logger: Logger

    public init(databasePath: String, logger: Logger) {
        self.databasePath = databasePath
        self.logger = logger
    }

    /// Reads the CSV file at `csvPath` and imports it.
    public func importFile(atPath csvPath: String, replace: Bool = false) throws(RegistryImportError) -> RegistryImportSummary {
        try importCSV(Self.readFile(atPath: csvPath), source: csvPath, replace: replace)
    }

    /// Imports CSV content. `source` names the content in errors and logs.
    public func importCSV(_ bytes: [UInt8], source: String, replace: Bool = false) throws(RegistryImportError) -> RegistryImportSummary {
        let (rows, problems) = RegistryCSV.parse(bytes)
        guard problems.isEmpty else {
            throw .invalidRows(path: source, problems: problems)
        }

        let lock = try RegistryFileLock(databasePath: databasePath)
        defer { lock.release() }

        // The current rows are read even for a replacement, to count what it adds and removes.
        var existing: [String: RegistryRecord] = [:]
        if FileManager.default.fileExists(atPath: databasePath) {
            do {
                for record in try SQLiteProcessRegistry.readAllRecords(databasePath: databasePath) {
                    existing[record.protocolKey] = record
                }
            } catch {
                throw .databaseFailed(path: databasePath, reason: error.message)
            }
        }
        let previousKeys = Set(existing.keys)
        var records = replace ? [:] : existing
        for row in rows {
            records[row.record.protocolKey] = row.record
        }
        if !replace {
            let conflicts = Self.documentConflicts(rows: rows, merged: records)
            guard conflicts.isEmpty else {
                throw .invalidRows(path: source, problems: conflicts)
            }
        }

        do {
            try RegistryFileWriter(databasePath: databasePath).write(records.values.sorted { $0.protocolKey < $1.protocolKey })
        } catch {
            throw .databaseFailed(path: databasePath, reason: error.description)
        }
        let fileKeys = Set(rows.map(\.record.protocolKey))
        let summary = RegistryImportSummary(
            importedRows: rows.count, addedRows: fileKeys.subtracting(previousKeys).count, totalRows: records.count,
            removedRows: replace ? previousKeys.subtracting(fileKeys).count : 0)
        logger.info(
            "process registry imported",
            [
                "registry.path": databasePath, "import.source": source, "import.rows": String(summary.importedRows),
                "import.added": String(summary.addedRows), "import.removed": String(summary.removedRows),
                "import.replace": String(replace), "registry.rows": String(summary.totalRows),
            ])
        return summary
    }

    /// Returns a problem for each row of the file whose process has another document in the merged
    /// registry, which happens when a protocol already in the registry names the process.
    static func documentConflicts(rows: [RegistryRow], merged: [String: RegistryRecord]) -> [RegistryImportProblem] {
        var documentsOfProcess: [String: [RegistryRecord]] = [:]
        for record in merged.values {
            documentsOfProcess[record.processNumber.digits, default: []].append(record)
        }
        var problems: [RegistryImportProblem] = []
        for row in rows {
            let others = documentsOfProcess[row.processNumber.digits] ?? []
            guard let other = others.first(where: { $0.documentFileName != row.record.documentFileName }) else { continue }
            let message =
                "process \(row.processNumber) has document \(other.documentFileName) in the registry for protocol \"\(other.protocolNumber)\", so it cannot have \(row.record.documentFileName); list that protocol in the file too, or import with --replace"
            problems.append(RegistryImportProblem(line: row.line, message: message))
        }
        return problems
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
    /// Data rows read from the file, each protocol counted once.
    public var importedRows: Int
    /// How many of them added a protocol the registry did not have. The others replaced the number and
    /// document of an existing protocol, possibly with the same values.
    public var addedRows: Int
    /// Protocols in the registry after the import.
    public var totalRows: Int
    /// Protocols that `--replace` removed because the file does not list them.
    public var removedRows: Int

    public init(importedRows: Int, addedRows: Int, totalRows: Int, removedRows: Int = 0) {
        self.importedRows = importedRows
        self.addedRows = addedRows
        self.totalRows = totalRows
        self.removedRows = removedRows
    }

    /// Rows that replaced the number of a protocol already in the registry.
    public var updatedRows: Int { importedRows - addedRows }

    public var description: String {
        let removed = removedRows > 0 ? ", \(removedRows) removed" : ""
        let rows = importedRows == 1 ? "1 row" : "\(importedRows) rows"
        let protocols = totalRows == 1 ? "1 protocol" : "\(totalRows) protocols"
        return "Imported \(rows) (\(addedRows) added, \(updatedRows) updated\(removed)); the registry now holds \(protocols)."
    }
}
