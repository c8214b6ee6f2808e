import Foundation
import ProcessoAPI

/// `processo-api registry import FILE.csv`: validates a CSV and adds or updates its rows in the registry.
struct RegistryCommand {
    let file: String
    let environment: [String: String]

    init(arguments: ArraySlice<String>, environment: [String: String]) throws(UsageError) {
        let parsed = try CommandArguments(arguments, allowedOptions: [])
        guard parsed.positional.count == 2, parsed.positional[0] == "import" else {
            throw UsageError("Use: processo-api registry import FILE.csv")
        }
        file = parsed.positional[1]
        self.environment = environment
    }

    func run() throws -> Int32 {
        let databasePath =
            environment["PROCESSO_API_REGISTRY"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "/var/lib/processo-api/registry.sqlite3"
        let importer = RegistryImporter(databasePath: databasePath, logger: Logger(label: "registry", minimumLevel: .warning))
        do {
            let summary = try importer.importFile(atPath: file)
            print("\(summary) into \(databasePath)")
            return 0
        } catch {
            FileHandle.standardError.write(Data("Import failed, the registry is unchanged: \(error)\n".utf8))
            return 1
        }
    }
}
