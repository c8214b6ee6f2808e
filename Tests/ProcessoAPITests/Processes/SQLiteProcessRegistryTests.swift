import CSQLite
import Foundation
import Testing

@testable import ProcessoAPI

@Suite struct SQLiteProcessRegistryTests {
    @Test func unknownProtocolIsNil() throws {
        let scratch = try RegistryScratch()
        try scratch.importCSV("protocol,process_number\n20240001,1012345-35.2024.8.26.0100\n")
        let registry = try scratch.openRegistry()

        #expect(try registry.processNumber(forProtocol: "20249999") == nil)
        #expect(try registry.processNumber(forProtocol: "") == nil)
        #expect(try registry.processNumber(forProtocol: "   ") == nil)
        #expect(try registry.processNumber(forProtocol: "2024000") == nil)
    }

    @Test func protocolIsTrimmed() throws {
        let scratch = try RegistryScratch()
        try scratch.importCSV("protocol,process_number\n20240001,1012345-35.2024.8.26.0100\n")
        let registry = try scratch.openRegistry()

        #expect(try registry.processNumber(forProtocol: " 20240001\t\n")?.formatted == "1012345-35.2024.8.26.0100")
    }

    @Test func openingLogsRowCount() throws {
        let scratch = try RegistryScratch()
        try scratch.importCSV("protocol,process_number\nA,1012345-35.2024.8.26.0100\nB,10234561620248260100\n")

        _ = try scratch.openRegistry()

        let line = try #require(scratch.logSink.capturedLines.first { $0.contains("process registry opened") })
        #expect(line.contains("registry.rows=2"), "\(line)")
    }

    @Test func missingFileFailsAtOpen() throws {
        let scratch = try RegistryScratch()

        let error = try #require(throws: RegistryError.self) { try scratch.openRegistry() }

        #expect(error.message.contains("does not exist"))
        #expect(error.message.contains(scratch.databasePath))
        #expect(error.message.contains("processo-api registry import"))
        #expect(!FileManager.default.fileExists(atPath: scratch.databasePath), "opening created the file")
    }

    @Test func fileWithoutTableFailsAtOpen() throws {
        let scratch = try RegistryScratch()
        _ = try SQLiteDatabase(path: scratch.databasePath, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            .execute("CREATE TABLE other (x INTEGER)")

        let error = try #require(throws: RegistryError.self) { try scratch.openRegistry() }

        #expect(error.message.contains("no such table: processes"), "\(error.message)")
    }

    @Test func nonDatabaseFileFailsAtOpen() throws {
        let scratch = try RegistryScratch()
        _ = try scratch.writeCSV("protocol,process_number\n", named: "registry.sqlite3")

        let error = try #require(throws: RegistryError.self) { try scratch.openRegistry() }

        #expect(error.message.contains("not a database"), "\(error.message)")
    }

    @Test func corruptStoredNumberIsAnError() throws {
        let scratch = try RegistryScratch()
        try scratch.importCSV("protocol,process_number\nA,1012345-35.2024.8.26.0100\n")
        _ = try SQLiteDatabase(path: scratch.databasePath, flags: SQLITE_OPEN_READWRITE)
            .execute("UPDATE processes SET process_number = '10123453420248260100'")
        let registry = try scratch.openRegistry()

        let error = try #require(throws: RegistryError.self) { try registry.processNumber(forProtocol: "A") }

        #expect(error.message.contains("10123453420248260100"))
        #expect(error.message.contains("invalidCheckDigits"))
    }

    @Test func concurrentLookupsAgree() async throws {
        let scratch = try RegistryScratch()
        let rows = (0..<50).map { "P\($0),1012345-35.2024.8.26.0100" } + ["Q,0000094-02.2024.8.26.0100"]
        try scratch.importCSV("protocol,process_number\n" + rows.joined(separator: "\n"))
        let registry = try scratch.openRegistry()

        let numbers = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<200 {
                group.addTask { try registry.processNumber(forProtocol: index % 4 == 0 ? "Q" : "P\(index % 50)")?.formatted }
            }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }

        #expect(numbers.count == 200)
        #expect(numbers.filter { $0 == "0000094-02.2024.8.26.0100" }.count == 50)
        #expect(numbers.filter { $0 == "1012345-35.2024.8.26.0100" }.count == 150)
    }
}
