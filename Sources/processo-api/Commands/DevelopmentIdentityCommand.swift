import DevelopmentIdentity
import Foundation
import ProcessoAPI

/// `processo-api dev-identity init`: creates, or reuses, the local development identity and writes the
/// OpenID configuration and JWKS that a local web server publishes for it.
///
/// The private key stays in `--directory`; the public documents go to `--directory/www`, the only
/// folder to serve.
struct DevelopmentIdentityCommand {
    let directory: String
    let authority: String

    init(arguments: ArraySlice<String>) throws(UsageError) {
        let parsed = try CommandArguments(arguments, allowedOptions: ["directory", "authority"])
        guard parsed.positional == ["init"], let directory = parsed.options["directory"], let authority = parsed.options["authority"]
        else {
            throw UsageError("Use: processo-api dev-identity init --directory DIR --authority https://localhost:PORT")
        }
        self.directory = directory
        self.authority = authority
    }

    func run() throws -> Int32 {
        let configuration = try Configuration(environment: ProcessInfo.processInfo.environment)
        let identity = try DevelopmentIdentity.loadOrCreate(in: directory)
        let documents = try identity.writeDiscoveryDocuments(
            to: directory + "/www", baseURL: authority, tenantID: configuration.tenantID)
        print("Development identity \(identity.keyID): metadata at \(documents.metadataURL)")
        return 0
    }
}
