import Foundation
import ProcessoAPI

/// `processo-api registry import|lookup|export|stats`: manages the registry that
/// `PROCESSO_API_REGISTRY` names.
struct RegistryCommand {
    enum Action {
        case importFile(path: String, replace: Bool)
        case lookup(protocolNumber: String)
        case export
        case stats
    }

    static let usage = "Use: processo-api registry import [--replace] FILE.csv | lookup PROTOCOL | export | stats"

    let action: Action
    let environment: [String: String]

    init(arguments: ArraySlice<String>, environment: [String: String]) throws(UsageError) {
        // --replace takes no value, so it is taken out before the other options are parsed.
        let replace = arguments.contains("--replace")
        let parsed = try CommandArguments(arguments.filter { $0 != "--replace" }, allowedOptions: [])
        let words = parsed.positional
        switch (words.first, words.count) {
        case ("import", 2): action = .importFile(path: words[1], replace: replace)
        case ("lookup", 2) where !replace: action = .lookup(protocolNumber: words[1])
        case ("export", 1) where !replace: action = .export
        case ("stats", 1) where !replace: action = .stats
        default: throw UsageError(Self.usage)
        }
        self.environment = environment
    }

    var databasePath: String {
        environment["PROCESSO_API_REGISTRY"].flatMap { $0.isEmpty ? nil : $0 } ?? "/var/lib/processo-api/registry.sqlite3"
    }

    var documentsDirectory: String {
        environment["PROCESSO_API_DOCUMENTS_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/var/lib/processo-api/pdfs"
    }

    func run() throws -> Int32 {
        switch action {
        case .importFile(let path, let replace):
            return importFile(path, replace: replace)
        case .lookup(let protocolNumber):
            return try lookup(protocolNumber)
        case .export:
            return try export()
        case .stats:
            return try stats()
        }
    }

    private func importFile(_ path: String, replace: Bool) -> Int32 {
        let importer = RegistryImporter(databasePath: databasePath, logger: Logger(label: "registry", minimumLevel: .warning))
        do {
            let summary = try importer.importFile(atPath: path, replace: replace)
            print("\(databasePath): \(summary)")
            return 0
        } catch {
            printError("Import failed, the registry is unchanged: \(error)")
            return 1
        }
    }

    /// Prints the record as `protocol;number;document` and exits 1 when the protocol is not registered.
    private func lookup(_ protocolNumber: String) throws -> Int32 {
        let registry = try SQLiteProcessRegistry(databasePath: databasePath, logger: Logger(label: "registry", minimumLevel: .warning))
        guard let record = try registry.record(forProtocol: protocolNumber) else {
            printError("No process is registered for protocol \(protocolNumber) (key \(ProtocolKey.normalize(protocolNumber))).")
            return 1
        }
        print("protocol: \(record.protocolNumber)")
        print("process_number: \(record.processNumber.formatted)")
        print("document: \(record.documentFileName)" + (record.document == nil ? " (default)" : ""))
        return 0
    }

    /// Prints the registry as a CSV file that `registry import --replace` reads back unchanged.
    private func export() throws -> Int32 {
        print("protocol,process_number,document")
        for record in try SQLiteProcessRegistry.readAllRecords(databasePath: databasePath) {
            let fields = [record.protocolNumber, record.processNumber.formatted, record.document ?? ""]
            print(fields.map(Self.csvField).joined(separator: ","))
        }
        return 0
    }

    private func stats() throws -> Int32 {
        let records = try SQLiteProcessRegistry.readAllRecords(databasePath: databasePath)
        let processes = Dictionary(records.map { ($0.processNumber.digits, $0) }, uniquingKeysWith: { first, _ in first })
        let named = processes.values.filter { $0.document != nil }.count
        let present = processes.values.filter {
            FileManager.default.fileExists(atPath: documentsDirectory + "/" + $0.documentFileName)
        }.count
        let attributes = try? FileManager.default.attributesOfItem(atPath: databasePath)
        let modified = (attributes?[.modificationDate] as? Date).map { ISO8601DateFormatter().string(from: $0) } ?? "unknown"

        print("registry: \(databasePath), modified \(modified)")
        print("protocols: \(records.count)")
        print("processes: \(processes.count)")
        print("processes with a named document: \(named)")
        print("documents found in \(documentsDirectory): \(present) of \(processes.count)")
        return 0
    }

    /// Quotes a field as RFC 4180 does when it contains a comma, a semicolon, a quote or a line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == ";" || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension RegistryCommand {
    private func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
