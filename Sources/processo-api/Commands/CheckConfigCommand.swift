import Foundation
import ProcessoAPI

/// `processo-api check-config`: prints the settings the responder would run with and checks the files
/// they name. Exits 1 when a setting is invalid or a required file is missing.
struct CheckConfigCommand {
    let environment: [String: String]

    func run() -> Int32 {
        let configuration: Configuration
        do {
            configuration = try Configuration(environment: environment)
        } catch {
            printError("Invalid configuration: \(error.message)")
            return 1
        }
        for line in configuration.describe(environment: environment) {
            print(line)
        }

        let files = FileManager.default
        var problems: [String] = []
        var isDirectory: ObjCBool = false
        if let caFile = configuration.caFile, !files.isReadableFile(atPath: caFile) {
            problems.append("PROCESSO_API_CA_FILE names \(caFile), which is missing or not readable.")
        }
        if !files.fileExists(atPath: configuration.documentsDirectory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            problems.append("PROCESSO_API_DOCUMENTS_DIR names \(configuration.documentsDirectory), which is not a folder.")
        } else if !files.fileExists(atPath: configuration.documentsDirectory + "/" + configuration.defaultDocument) {
            printError("Warning: the default document \(configuration.defaultDocument) is not in the documents folder yet.")
        }
        if !files.fileExists(atPath: configuration.registryPath) {
            printError(
                "Warning: the registry \(configuration.registryPath) does not exist yet; create it with processo-api registry import FILE.csv."
            )
        }

        for problem in problems {
            printError("Invalid configuration: \(problem)")
        }
        return problems.isEmpty ? 0 : 1
    }

    private func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
