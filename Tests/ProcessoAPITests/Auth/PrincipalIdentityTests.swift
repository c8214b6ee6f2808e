import DevelopmentIdentity
import Testing

@testable import ProcessoAPI

/// The sign-in name a principal gets from its token's claims, and the order of the fallbacks.
@Suite struct PrincipalIdentityTests {
    struct IdentityCase: CustomTestStringConvertible, Sendable {
        let name: String
        let claims: [String: JSONValue]
        let identity: String
        var testDescription: String { name }
    }

    static let identityCases: [IdentityCase] = [
        IdentityCase(
            name: "upn first", claims: ["upn": "upn@example.com", "preferred_username": "preferred@example.com", "email": "mail@example.com"],
            identity: "upn@example.com"),
        IdentityCase(
            name: "preferred_username without upn", claims: ["preferred_username": "preferred@example.com", "email": "mail@example.com"],
            identity: "preferred@example.com"),
        IdentityCase(
            name: "email without upn or preferred_username", claims: ["email": "mail@example.com", "unique_name": "unique@example.com"],
            identity: "mail@example.com"),
        IdentityCase(name: "unique_name last", claims: ["unique_name": "unique@example.com"], identity: "unique@example.com"),
        IdentityCase(
            name: "unique_name without live.com prefix", claims: ["unique_name": "live.com#guest@outlook.example"], identity: "guest@outlook.example"),
        IdentityCase(name: "empty upn skipped", claims: ["upn": "", "email": "mail@example.com"], identity: "mail@example.com"),
        IdentityCase(name: "no name claims", claims: [:], identity: "unknown"),
    ]

    @Test(arguments: identityCases)
    func identityFollowsFallbackOrder(_ testCase: IdentityCase) throws {
        let identity = try TestTenant.identity()
        var claims = TestTenant.userClaims(version: .v1)
        for name in ["upn", "preferred_username", "email", "unique_name"] {
            claims[name] = nil
        }
        claims.merge(testCase.claims) { _, new in new }

        let principal = try TestTenant.validator().validate(identity.mintToken(claims: claims), at: TestTenant.now)

        #expect(principal.identity == testCase.identity, "\(testCase.name)")
    }
}
