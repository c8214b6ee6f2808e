import CSQLite
import Foundation
import Synchronization
import Testing

@testable import ProcessoAPI

@Suite struct RegistryReplaceTests {
    static let first = "1012345-35.2024.8.26.0100"
    static let second = "0000094-02.2024.8.26.0100"
    static let third = "0000010-98.2024.8.26.0100"

    @Test func replaceDropsUnlistedProtocols() throws {
        let scratch = try RegistryScratch()
        try scratch.importCSV("protocol,process_number\nA,\(Self.first)\nB,\(Self.second)\n")

        let summary = try scratch.importer.importFile(
            atPath: try scratch.writeCSV("protocol,process_number\nB,\(Self.third)\nC,\(Self.first)\n"), replace: true)

        #expect(summary == RegistryImportSummary(importedRows: 2, addedRows: 1, totalRows: 2, removedRows: 1))
        let registry = try scratch.openRegistry()
        #expect(try registry.record(forProtocol: "A") == nil)
        #expect(try registry.processNumber(forProtocol: "B")?.formatted == Self.third)
        #expect(try registry.processNumber(forProtocol: "C")?.formatted == Self.first)
    }

    @Test func rejectedReplaceChangesNothing() throws {
        let scratch = try RegistryScratch()
        try scratch.importCSV("protocol,process_number\nA,\(Self.first)\n")
        let before = try scratch.databaseBytes()

        #expect(throws: RegistryImportError.self) {
            try scratch.importer.importFile(atPath: try scratch.writeCSV("protocol,process_number\nB,\(Self.second)\nC,123\n"), replace: true)
        }

        #expect(try scratch.databaseBytes() == before)
        #expect(try scratch.openRegistry().processNumber(forProtocol: "A")?.formatted == Self.first)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.folder.path).filter { $0.contains(".import-") }
        #expect(leftovers.isEmpty, "temporary files were left: \(leftovers)")
    }

    @Test func documentsAreStoredAndLookedUp() throws {
        let scratch = try RegistryScratch()
        try scratch.importCSV("protocol,process_number,document\nA,\(Self.first),peticao.pdf\nB,\(Self.second),\nC,\(Self.first),peticao.pdf\n")
        let registry = try scratch.openRegistry()

        #expect(try registry.documentName(forProcess: try CNJNumber(Self.first)) == "peticao.pdf")
        #expect(try registry.documentName(forProcess: try CNJNumber(Self.second)) == nil)
        #expect(try registry.record(forProtocol: "B")?.documentFileName == "00000940220248260100.pdf")
        #expect(try registry.record(forProtocol: "C")?.document == "peticao.pdf")
    }

    /// An added row may not give a process a second document that a protocol already in the registry
    /// contradicts, because lookups by process would then depend on row order.
    @Test func addedRowConflictingWithRegistryIsRejected() throws {
        let scratch = try RegistryScratch()
        try scratch.importCSV("protocol,process_number,document\nA,\(Self.first),a.pdf\n")
        let before = try scratch.databaseBytes()
        let path = try scratch.writeCSV("protocol,process_number,document\nB,\(Self.first),b.pdf\n")

        let error = try #require(throws: RegistryImportError.self) { try scratch.importer.importFile(atPath: path) }

        guard case .invalidRows(_, let problems) = error else {
            Issue.record("expected invalidRows, got \(error)")
            return
        }
        #expect(problems.map(\.line) == [2])
        #expect(problems.first?.message.contains("has document a.pdf in the registry for protocol \"A\"") == true, "\(problems)")
        #expect(try scratch.databaseBytes() == before)
        #expect(throws: Never.self) { try scratch.importer.importFile(atPath: path, replace: true) }
    }

    /// A registry written before documents and protocol keys existed still serves lookups, and the
    /// next import rewrites it in the current layout.
    @Test func versionZeroFileIsReadAndUpgraded() throws {
        let scratch = try RegistryScratch()
        let database = try SQLiteDatabase(path: scratch.databasePath, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        try database.execute("CREATE TABLE processes (protocol TEXT PRIMARY KEY, process_number TEXT NOT NULL)")
        try database.execute("INSERT INTO processes VALUES ('2024-0001', '10123453520248260100')")

        let old = try scratch.openRegistry()
        #expect(try old.processNumber(forProtocol: " 2024-0001 ")?.formatted == Self.first)
        #expect(try old.documentName(forProcess: try CNJNumber(Self.first)) == nil)

        try scratch.importCSV("protocol,process_number\nB,\(Self.second)\n")

        let upgraded = try scratch.openRegistry()
        #expect(try upgraded.processNumber(forProtocol: "20240001")?.formatted == Self.first)
        #expect(try upgraded.processNumber(forProtocol: "B")?.formatted == Self.second)
    }

    /// Eight threads look protocols up while the registry is replaced 30 times, alternating between
    /// two files. Every lookup must succeed, and each must return a value of one of the two files.
    @Test func replaceUnderLoadFailsNoLookup() throws {
        let scratch = try RegistryScratch()
        let shared = (0..<20).map { "S\($0)" }
        let fileA = "protocol,process_number\n" + shared.map { "\($0),\(Self.first)" }.joined(separator: "\n") + "\nONLY-A,\(Self.first)\n"
        let fileB = "protocol,process_number\n" + shared.map { "\($0),\(Self.second)" }.joined(separator: "\n") + "\n"
        let pathA = try scratch.writeCSV(fileA, named: "a.csv")
        let pathB = try scratch.writeCSV(fileB, named: "b.csv")
        _ = try scratch.importer.importFile(atPath: pathA, replace: true)
        let registry = ReopeningProcessRegistry(databasePath: scratch.databasePath, logger: scratch.logger)

        let failures = Mutex<[String]>([])
        let lookups = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
        let group = DispatchGroup()
        for thread in 0..<8 {
            group.enter()
            Thread {
                var index = thread
                while !stop.load(ordering: .relaxed) {
                    index += 1
                    let protocolNumber = index % 7 == 0 ? "ONLY-A" : shared[index % shared.count]
                    do {
                        let number = try registry.processNumber(forProtocol: protocolNumber)?.formatted
                        let allowed: Set<String?> = protocolNumber == "ONLY-A" ? [Self.first, nil] : [Self.first, Self.second]
                        if !allowed.contains(number) {
                            failures.withLock { $0.append("\(protocolNumber) → \(number ?? "nil")") }
                        }
                    } catch {
                        failures.withLock { $0.append("\(protocolNumber) threw \(error)") }
                    }
                    lookups.add(1, ordering: .relaxed)
                }
                group.leave()
            }.start()
        }

        for round in 0..<30 {
            _ = try scratch.importer.importFile(atPath: round % 2 == 0 ? pathB : pathA, replace: true)
        }
        stop.store(true, ordering: .relaxed)
        try #require(group.wait(timeout: .now() + 30) == .success)

        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0.prefix(5) })")
        #expect(lookups.load(ordering: .relaxed) > 100, "too few lookups overlapped the imports")
        // The last import, round 29, wrote file A, so the reopening registry now serves it.
        #expect(try registry.processNumber(forProtocol: "S1")?.formatted == Self.first)
        #expect(try registry.processNumber(forProtocol: "ONLY-A")?.formatted == Self.first)
    }
}
