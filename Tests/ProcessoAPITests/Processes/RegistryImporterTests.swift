import CSQLite
import Foundation
import Testing

@testable import ProcessoAPI

@Suite struct RegistryImporterTests {
    @Test func importThenLookUp() throws {
        let scratch = try RegistryScratch()

        let summary = try scratch.importCSV(
            """
            protocol,process_number
            20240001,1012345-35.2024.8.26.0100
            20240002,10234561620248260100

            """)

        #expect(summary == RegistryImportSummary(importedRows: 2, addedRows: 2, totalRows: 2))
        let registry = try scratch.openRegistry()
        #expect(try registry.processNumber(forProtocol: "20240001")?.formatted == "1012345-35.2024.8.26.0100")
        #expect(try registry.processNumber(forProtocol: "20240002")?.formatted == "1023456-16.2024.8.26.0100")
        let line = try #require(scratch.logSink.capturedLines.first { $0.contains("process registry imported") })
        #expect(line.contains("import.rows=2"), "\(line)")
    }

    @Test func numbersAreStoredAsTwentyDigits() throws {
        let scratch = try RegistryScratch()
        try scratch.importCSV("protocol,process_number\nP-1,1012345-35.2024.8.26.0100\n")

        let database = try SQLiteDatabase(path: scratch.databasePath, flags: SQLITE_OPEN_READONLY)
        let statement = try database.prepare("SELECT process_number FROM processes WHERE protocol = 'P-1'")

        #expect(try statement.step())
        #expect(statement.text(at: 0) == "10123453520248260100")
    }

    @Test func invalidFileListsEveryLineAndChangesNothing() throws {
        let scratch = try RegistryScratch()
        try scratch.importCSV("protocol,process_number\n20240001,1012345-35.2024.8.26.0100\n")
        let before = try scratch.databaseBytes()
        let path = try scratch.writeCSV(
            """
            protocol,process_number
            20240001,0000094-02.2024.8.26.0100
            20240003,1012345-36.2024.8.26.0100
            20240004,0000023-97.2024.8.26.0100
            20240005,not a number
            """)

        let error = try #require(throws: RegistryImportError.self) { try scratch.importer.importFile(atPath: path) }

        guard case .invalidRows(let source, let problems) = error else {
            Issue.record("expected invalidRows, got \(error)")
            return
        }
        #expect(source == path)
        #expect(problems.map(\.line) == [3, 5])
        #expect(problems.first?.message.contains("1012345-36.2024.8.26.0100") == true)
        #expect(problems.first?.message.contains("call for 35") == true, "the message omits the expected check digits")
        #expect(problems.last?.message.contains("not a number") == true)
        #expect(error.description.contains("line 3:"))
        #expect(error.description.contains("line 5:"))
        #expect(try scratch.databaseBytes() == before, "a rejected import changed the database")
        let registry = try scratch.openRegistry()
        #expect(try registry.processNumber(forProtocol: "20240001")?.formatted == "1012345-35.2024.8.26.0100")
        #expect(try registry.processNumber(forProtocol: "20240004") == nil)
    }

    @Test func invalidFileCreatesNoDatabase() throws {
        let scratch = try RegistryScratch()

        #expect(throws: RegistryImportError.self) { try scratch.importCSV("protocol,process_number\n1,2\n") }

        #expect(!FileManager.default.fileExists(atPath: scratch.databasePath))
    }

    @Test func semicolonFileImports() throws {
        let scratch = try RegistryScratch()

        let summary = try scratch.importCSV("protocol;process_number\r\n20240001;1012345-35.2024.8.26.0100\r\n")

        #expect(summary.importedRows == 1)
        #expect(try scratch.openRegistry().processNumber(forProtocol: "20240001")?.digits == "10123453520248260100")
    }

    @Test func reimportUpdatesAndAdds() throws {
        let scratch = try RegistryScratch()
        try scratch.importCSV("protocol,process_number\n20240001,1012345-35.2024.8.26.0100\n20240002,10234561620248260100\n")
        let registry = ReopeningProcessRegistry(databasePath: scratch.databasePath, logger: scratch.logger)
        let oldFile = try scratch.openRegistry()
        #expect(try registry.processNumber(forProtocol: "20240001")?.formatted == "1012345-35.2024.8.26.0100")

        let summary = try scratch.importCSV("protocol,process_number\n20240001,0000094-02.2024.8.26.0100\n20240003,0000010-98.2024.8.26.0100\n")

        #expect(summary == RegistryImportSummary(importedRows: 2, addedRows: 1, totalRows: 3))
        #expect(summary.updatedRows == 1)
        // A connection to the old file keeps reading the old registry whole.
        #expect(try oldFile.processNumber(forProtocol: "20240001")?.formatted == "1012345-35.2024.8.26.0100")
        #expect(try oldFile.processNumber(forProtocol: "20240003") == nil)
        // The reopening registry, as the responder uses it, reads the new file at its next lookup.
        #expect(try registry.processNumber(forProtocol: "20240001")?.formatted == "0000094-02.2024.8.26.0100")
        #expect(try registry.processNumber(forProtocol: "20240002")?.formatted == "1023456-16.2024.8.26.0100")
        #expect(try registry.processNumber(forProtocol: "20240003")?.formatted == "0000010-98.2024.8.26.0100")
    }

    @Test func missingCSVFileIsReported() throws {
        let scratch = try RegistryScratch()
        let path = scratch.folder.appendingPathComponent("missing.csv").path

        #expect(throws: RegistryImportError.unreadableFile(path: path, reason: "No such file or directory")) {
            try scratch.importer.importFile(atPath: path)
        }
    }

    @Test func unwritableDatabaseIsReported() throws {
        let scratch = try RegistryScratch()
        let databasePath = scratch.folder.appendingPathComponent("no-such-folder/registry.sqlite3").path
        let importer = RegistryImporter(databasePath: databasePath, logger: scratch.logger)
        let csv = try scratch.writeCSV("protocol,process_number\n20240001,1012345-35.2024.8.26.0100\n")

        let error = try #require(throws: RegistryImportError.self) { try importer.importFile(atPath: csv) }

        guard case .databaseFailed(let path, let reason) = error else {
            Issue.record("expected databaseFailed, got \(error)")
            return
        }
        #expect(path == databasePath)
        #expect(reason.contains("No such file or directory"), "reason: \(reason)")
    }

    @Test func sampleRegistryImports() throws {
        let scratch = try RegistryScratch()
        let sample = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("deploy/local/sample-registry.csv")

        let summary = try scratch.importer.importFile(atPath: sample.path)

        #expect((3...5).contains(summary.importedRows))
        let secondSample = try scratch.openRegistry().processNumber(forProtocol: "20240001")
        #expect(secondSample?.digits == "10234561620248260100", "the sample registry no longer maps 20240001 to the second sample PDF")
    }
}
