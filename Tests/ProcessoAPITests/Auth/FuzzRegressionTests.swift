import DevelopmentIdentity
import Foundation
import Testing

@testable import ProcessoAPI

/// Replays the fuzzer's seeds and every input it found to crash, kept in `Fixtures/fuzz`, through the
/// same calls as `Tests/Fuzz/TokenFuzzer.swift`, so a fixed crash stays fixed.
@Suite struct FuzzRegressionTests {
    static let policy = TokenPolicy(
        tenantID: TestTenant.tenantID, audiences: ["api://\(TestTenant.clientID)"], appRoles: ["Processes.Read"], maxLifetime: 86_400)

    static func inputs() throws -> [String] {
        guard let root = Bundle.module.resourceURL?.appendingPathComponent("Fixtures/fuzz") else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0 != "README.md" }.sorted()
    }

    @Test func seedsArePresent() throws {
        #expect(try Self.inputs().count >= 4)
    }

    @Test(arguments: try inputs())
    func inputIsRejectedWithoutCrash(name: String) throws {
        let bytes = Array(try Fixture.data("fuzz/\(name)"))
        let text = String(decoding: bytes, as: UTF8.self)
        let keys = try JSONWebKeySet(jsonData: Fixture.data("vectors/rfc7520-4.1/jwks_public.json"))
        let validator = TokenValidator(policy: Self.policy, keys: keys)

        #expect(throws: AuthError.self, "\(name)") { try validator.validate(text, at: TestTenant.now) }
        #expect(!TokenCheckReport(token: text, validator: validator, at: TestTenant.now).lines(at: TestTenant.now).isEmpty, "\(name)")
        _ = try? JSONWebKeySet(jsonData: bytes)
        _ = JSONMembers.hasDuplicateTopLevelMember(bytes)
        if let claims = try? TokenClaims(decoding: bytes, keyID: "fuzz") {
            let rules = ClaimRules(policy: Self.policy, claims: claims, keyID: "fuzz")
            _ = try? rules.checkTenant()
            try? rules.checkLifetime(at: TestTenant.now)
            try? rules.checkIssuer(keyIssuer: DevelopmentIdentity.keyIssuerTemplate)
            try? rules.checkAudience()
            try? rules.checkAuthorization(Self.policy.defaultRequirement)
        }
        if let decoded = try? Base64URL.decode(utf8: bytes) {
            #expect(Base64URL.encode(decoded) == text, "\(name): base64url text did not round-trip")
        }
    }
}
