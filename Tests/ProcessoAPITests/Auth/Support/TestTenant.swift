import DevelopmentIdentity
import Foundation
import ProcessoAPI

/// The tenant, app registration, signing key and clock the token tests share.
enum TestTenant {
    static let tenantID = "0b1e5a3c-7d2f-4e6a-9c8b-1f2e3d4c5b6a"
    static let clientID = "6f9a2b1c-3d4e-4f5a-8b7c-9d0e1f2a3b4c"
    static let appRole = "Processes.Read"
    /// A fixed "now" in 2030, so expiry checks never depend on when the tests run.
    static let now = Date(timeIntervalSince1970: 1_900_000_000)

    static let policy = TokenPolicy(
        tenantID: tenantID, audiences: TokenPolicy.defaultAudiences(clientID: clientID), scopes: ["access_as_user"],
        appRoles: [appRole], clockLeeway: 60)

    /// One 2048-bit key for the whole test run; generating one takes tens of milliseconds.
    private static let sharedIdentity = Result { try DevelopmentIdentity.generate() }

    static func identity() throws -> DevelopmentIdentity {
        try sharedIdentity.get()
    }

    static func validator() throws -> TokenValidator {
        TokenValidator(policy: policy, keys: try identity().keySet())
    }

    /// Builds the claims of a valid delegated token for `version`, with the audience Entra ID uses for it.
    static func userClaims(version: TokenVersion = .v2) -> [String: JSONValue] {
        let audience = version == .v1 ? "api://\(clientID)" : clientID
        return DevelopmentIdentity.userTokenClaims(
            tenantID: tenantID, audience: audience, version: version, issuedAt: now.addingTimeInterval(-300))
    }
}
