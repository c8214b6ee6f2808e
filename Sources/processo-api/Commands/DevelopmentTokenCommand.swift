import DevelopmentIdentity
import Foundation
import ProcessoAPI

/// `processo-api dev-token`: prints an access token signed by the local development identity.
///
/// It only works where `PROCESSO_API_DEV_IDENTITY_DIR` contains the development key, which no Entra ID
/// tenant publishes, so its tokens are accepted only by a responder configured for the local identity.
struct DevelopmentTokenCommand {
    let arguments: CommandArguments
    let environment: [String: String]

    init(arguments: ArraySlice<String>, environment: [String: String]) throws(UsageError) {
        self.arguments = try CommandArguments(arguments, allowedOptions: ["scope", "audience", "version", "expires-in", "upn"])
        guard self.arguments.positional.isEmpty else {
            throw UsageError("dev-token takes options only.")
        }
        self.environment = environment
    }

    func run() throws -> Int32 {
        guard let directory = environment["PROCESSO_API_DEV_IDENTITY_DIR"], !directory.isEmpty else {
            FileHandle.standardError.write(
                Data(
                    """
                    PROCESSO_API_DEV_IDENTITY_DIR is not set: dev-token signs only with the local development key.
                    For the stack that make run starts, load its settings first: set -a; . .local/env; set +a

                    """.utf8))
            return 1
        }
        let configuration = try Configuration(environment: environment)
        let identity = try DevelopmentIdentity.load(from: directory)

        let version: TokenVersion
        switch arguments.options["version"] ?? "1" {
        case "1": version = .v1
        case "2": version = .v2
        case let other: throw UsageError("--version must be 1 or 2; got \"\(other)\".")
        }
        let lifetime = try arguments.integer("expires-in") ?? 3600
        guard lifetime > 0 else { throw UsageError("--expires-in must be a positive number of seconds.") }

        let claims = DevelopmentIdentity.userTokenClaims(
            tenantID: configuration.tenantID,
            audience: arguments.options["audience"] ?? "api://" + configuration.clientID,
            version: version,
            issuedAt: Date(),
            lifetime: TimeInterval(lifetime),
            scope: arguments.options["scope"] ?? configuration.requiredScopes[0],
            userPrincipalName: arguments.options["upn"] ?? DevelopmentIdentity.defaultUserPrincipalName
        )
        print(try identity.mintToken(claims: claims))
        return 0
    }
}
