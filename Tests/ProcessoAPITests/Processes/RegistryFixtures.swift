import Foundation
import Testing

@testable import ProcessoAPI

/// A temporary folder for one registry test, with helpers to write CSV files and import them.
struct RegistryScratch: ~Copyable {
    let folder: URL
    let logSink = LogSink.capture()

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("processo-api-registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    var databasePath: String { folder.appendingPathComponent("registry.sqlite3").path }

    var logger: Logger { Logger(label: "registry", sink: logSink) }

    var importer: RegistryImporter { RegistryImporter(databasePath: databasePath, logger: logger) }

    /// Writes `contents` as UTF-8 to a file named `name` and returns its path.
    func writeCSV(_ contents: String, named name: String = "registry.csv") throws -> String {
        try writeCSV(Array(contents.utf8), named: name)
    }

    func writeCSV(_ bytes: [UInt8], named name: String = "registry.csv") throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Imports `contents` through a file, as `processo-api registry import` does.
    @discardableResult
    func importCSV(_ contents: String) throws -> RegistryImportSummary {
        try importer.importFile(atPath: writeCSV(contents))
    }

    func openRegistry() throws -> SQLiteProcessRegistry {
        try SQLiteProcessRegistry(databasePath: databasePath, logger: logger)
    }

    /// Returns the database file's bytes, to show that a rejected import left it unchanged.
    func databaseBytes() throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: databasePath))
    }
}
