import Foundation
import ProcessoAPI

/// `processo-api check-config`: prints the settings the responder would run with.
struct CheckConfigCommand {
    let environment: [String: String]

    func run() -> Int32 {
        do {
            let configuration = try Configuration(environment: environment)
            for line in configuration.describe(environment: environment) {
                print(line)
            }
            return 0
        } catch {
            FileHandle.standardError.write(Data("Invalid configuration: \(error.message)\n".utf8))
            return 1
        }
    }
}
