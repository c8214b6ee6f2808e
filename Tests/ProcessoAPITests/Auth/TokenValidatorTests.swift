import DevelopmentIdentity
import Foundation
import Testing

@testable import ProcessoAPI

/// Each rule of `TokenValidator`, with tokens minted by the development identity that break only that rule.
@Suite struct TokenValidatorTests {
    struct RuleCase: CustomTestStringConvertible, Sendable {
        let name: String
        let reason: AuthFailureReason
        var kind: AuthError.Kind = .invalidToken
        let token: @Sendable (DevelopmentIdentity) throws -> String
        var testDescription: String { name }
    }

    /// Mints a valid v2 user token after `edit` changes its header and claims.
    static func minted(
        version: TokenVersion = .v2, _ edit: @escaping @Sendable (inout [String: JSONValue], inout [String: JSONValue]) -> Void
    ) -> @Sendable (DevelopmentIdentity) throws -> String {
        { identity in
            var header = identity.defaultHeader
            var claims = TestTenant.userClaims(version: version)
            edit(&header, &claims)
            return try identity.mintToken(claims: claims, header: header)
        }
    }

    /// Mints a valid token, then rewrites its compact text with `edit`.
    static func rewritten(_ edit: @escaping @Sendable (String) -> String) -> @Sendable (DevelopmentIdentity) throws -> String {
        { identity in edit(try identity.mintToken(claims: TestTenant.userClaims())) }
    }

    static let now = Int(TestTenant.now.timeIntervalSince1970)

    static let ruleCases: [RuleCase] = [
        RuleCase(
            name: "token over 16 KiB", reason: .tokenTooLarge,
            token: minted { _, claims in claims["padding"] = .string(String(repeating: "x", count: 16_384)) }),
        RuleCase(name: "two segments", reason: .malformedToken, token: rewritten { String($0[..<$0.lastIndex(of: ".")!]) }),
        RuleCase(name: "four segments", reason: .malformedToken, token: rewritten { $0 + ".AAAA" }),
        RuleCase(name: "empty signature", reason: .malformedToken, token: rewritten { String($0[...$0.lastIndex(of: ".")!]) }),
        RuleCase(name: "padded signature", reason: .malformedToken, token: rewritten { $0 + "=" }),
        RuleCase(name: "standard base64 character", reason: .malformedToken, token: rewritten { "+" + $0.dropFirst() }),
        RuleCase(
            name: "header not JSON", reason: .malformedHeader,
            token: { try $0.signCompact(header: Array("alg=RS256".utf8), payload: Array("{}".utf8)) }),
        RuleCase(
            name: "header a JSON array", reason: .malformedHeader, token: { try $0.signCompact(header: Array("[]".utf8), payload: Array("{}".utf8)) }),
        RuleCase(name: "kid a number", reason: .malformedHeader, token: minted { header, _ in header["kid"] = 7 }),
        RuleCase(name: "alg none", reason: .unsupportedAlgorithm, token: minted { header, _ in header["alg"] = "none" }),
        RuleCase(name: "alg None", reason: .unsupportedAlgorithm, token: minted { header, _ in header["alg"] = "None" }),
        RuleCase(name: "alg HS256", reason: .unsupportedAlgorithm, token: minted { header, _ in header["alg"] = "HS256" }),
        RuleCase(name: "alg RS384", reason: .unsupportedAlgorithm, token: minted { header, _ in header["alg"] = "RS384" }),
        RuleCase(name: "alg PS256", reason: .unsupportedAlgorithm, token: minted { header, _ in header["alg"] = "PS256" }),
        RuleCase(name: "alg rs256 lower case", reason: .unsupportedAlgorithm, token: minted { header, _ in header["alg"] = "rs256" }),
        RuleCase(name: "alg missing", reason: .unsupportedAlgorithm, token: minted { header, _ in header["alg"] = nil }),
        RuleCase(name: "crit listing exp", reason: .unsupportedCriticalHeader, token: minted { header, _ in header["crit"] = ["exp"] }),
        RuleCase(name: "crit empty", reason: .unsupportedCriticalHeader, token: minted { header, _ in header["crit"] = [] }),
        RuleCase(name: "kid missing", reason: .missingKeyID, token: minted { header, _ in header["kid"] = nil }),
        RuleCase(name: "kid empty", reason: .missingKeyID, token: minted { header, _ in header["kid"] = "" }),
        RuleCase(name: "kid unknown", reason: .unknownKeyID, token: minted { header, _ in header["kid"] = "rotated-away" }),
        RuleCase(
            name: "signature bit flipped", reason: .invalidSignature,
            token: { identity in
                let token = try identity.mintToken(claims: TestTenant.userClaims())
                let dot = token.lastIndex(of: ".")!
                var signature = try Base64URL.decode(token[token.index(after: dot)...])
                signature[10] ^= 0x04
                return token[...dot] + Base64URL.encode(signature)
            }),
        RuleCase(
            name: "payload changed after signing", reason: .invalidSignature,
            token: { identity in
                let parts = try identity.mintToken(claims: TestTenant.userClaims()).split(separator: ".")
                var claims = TestTenant.userClaims()
                claims["upn"] = "someone.else@example.com"
                let payload = Base64URL.encode(try JSONEncoder().encode(claims))
                return "\(parts[0]).\(payload).\(parts[2])"
            }),
        RuleCase(
            name: "payload not JSON", reason: .malformedClaims,
            token: { identity in
                try identity.signCompact(header: Array(#"{"alg":"RS256","kid":"\#(identity.keyID)"}"#.utf8), payload: Array("exp=1".utf8))
            }),
        RuleCase(
            name: "payload a JSON array", reason: .malformedClaims,
            token: { identity in
                try identity.signCompact(header: Array(#"{"alg":"RS256","kid":"\#(identity.keyID)"}"#.utf8), payload: Array("[1]".utf8))
            }),
        RuleCase(name: "exp a string", reason: .malformedClaims, token: minted { _, claims in claims["exp"] = .string(String(now + 3600)) }),
        RuleCase(name: "aud an array", reason: .malformedClaims, token: minted { _, claims in claims["aud"] = [.string(TestTenant.clientID)] }),
        RuleCase(name: "roles a string", reason: .malformedClaims, token: minted { _, claims in claims["roles"] = "Processes.Read" }),
        RuleCase(name: "scp a number", reason: .malformedClaims, token: minted { _, claims in claims["scp"] = 1 }),
        RuleCase(name: "exp missing", reason: .missingExpiration, token: minted { _, claims in claims["exp"] = nil }),
        RuleCase(name: "exp null", reason: .missingExpiration, token: minted { _, claims in claims["exp"] = .null }),
        RuleCase(name: "expired beyond leeway", reason: .expired, token: minted { _, claims in claims["exp"] = .integer(now - 61) }),
        RuleCase(name: "expired at leeway edge", reason: .expired, token: minted { _, claims in claims["exp"] = .integer(now - 60) }),
        RuleCase(name: "nbf beyond leeway", reason: .notYetValid, token: minted { _, claims in claims["nbf"] = .integer(now + 61) }),
        RuleCase(
            name: "tid of another tenant", reason: .wrongTenant, token: minted { _, claims in claims["tid"] = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a" }
        ),
        RuleCase(name: "tid missing", reason: .wrongTenant, token: minted { _, claims in claims["tid"] = nil }),
        RuleCase(name: "ver missing", reason: .unsupportedTokenVersion, token: minted { _, claims in claims["ver"] = nil }),
        RuleCase(name: "ver 3.0", reason: .unsupportedTokenVersion, token: minted { _, claims in claims["ver"] = "3.0" }),
        RuleCase(
            name: "v2 token with v1 issuer", reason: .wrongIssuer,
            token: minted { _, claims in
                claims["iss"] = .string(DevelopmentIdentity.issuer(tenantID: TestTenant.tenantID, version: .v1))
            }),
        RuleCase(
            name: "v1 token with v2 issuer", reason: .wrongIssuer,
            token: minted(version: .v1) { _, claims in
                claims["iss"] = .string(DevelopmentIdentity.issuer(tenantID: TestTenant.tenantID, version: .v2))
            }),
        RuleCase(
            name: "issuer with trailing slash", reason: .wrongIssuer,
            token: minted { _, claims in
                claims["iss"] = .string(DevelopmentIdentity.issuer(tenantID: TestTenant.tenantID, version: .v2) + "/")
            }),
        RuleCase(
            name: "issuer of another tenant", reason: .wrongIssuer,
            token: minted { _, claims in
                claims["iss"] = .string(DevelopmentIdentity.issuer(tenantID: "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", version: .v2))
            }),
        RuleCase(name: "issuer missing", reason: .wrongIssuer, token: minted { _, claims in claims["iss"] = nil }),
        RuleCase(name: "aud of another app", reason: .wrongAudience, token: minted { _, claims in claims["aud"] = "api://another-app" }),
        RuleCase(
            name: "aud differing in case", reason: .wrongAudience,
            token: minted { _, claims in claims["aud"] = .string(TestTenant.clientID.uppercased()) }),
        RuleCase(name: "aud missing", reason: .wrongAudience, token: minted { _, claims in claims["aud"] = nil }),
        RuleCase(
            name: "scp without the scope", reason: .missingScope, kind: .insufficientScope,
            token: minted { _, claims in claims["scp"] = "User.Read openid" }),
        RuleCase(
            name: "scp with a longer scope name", reason: .missingScope, kind: .insufficientScope,
            token: minted { _, claims in claims["scp"] = "access_as_user_admin" }),
        RuleCase(
            name: "scp present, accepted role ignored", reason: .missingScope, kind: .insufficientScope,
            token: minted { _, claims in
                claims["scp"] = "User.Read"
                claims["roles"] = [.string(TestTenant.appRole)]
            }),
        RuleCase(name: "no scp and no roles", reason: .missingScope, kind: .insufficientScope, token: minted { _, claims in claims["scp"] = nil }),
        RuleCase(
            name: "no scp and another role", reason: .missingScope, kind: .insufficientScope,
            token: minted { _, claims in
                claims["scp"] = nil
                claims["roles"] = ["Processes.Write"]
            }),
    ]

    @Test(arguments: ruleCases)
    func brokenRuleIsRejected(_ rule: RuleCase) throws {
        let identity = try TestTenant.identity()
        let token = try rule.token(identity)

        let error = #expect(throws: AuthError.self, "\(rule.name)") {
            try TestTenant.validator().validate(token, at: TestTenant.now)
        }
        #expect(error?.reason == rule.reason, "\(rule.name)")
        #expect(error?.kind == rule.kind, "\(rule.name)")
        #expect(error?.message.isEmpty == false, "\(rule.name)")
        #expect(error?.message.contains("\"") == false, "\(rule.name): the message breaks a quoted-string header")
        #expect(error?.message.contains("\\") == false, "\(rule.name): the message breaks a quoted-string header")
    }

    @Test(arguments: TokenVersion.allCases)
    func validUserTokenIsAccepted(version: TokenVersion) throws {
        let identity = try TestTenant.identity()
        let token = try identity.mintToken(claims: TestTenant.userClaims(version: version))

        let principal = try TestTenant.validator().validate(token, at: TestTenant.now)

        #expect(principal.identity == DevelopmentIdentity.defaultUserPrincipalName)
        #expect(principal.objectID == DevelopmentIdentity.defaultObjectID)
        #expect(principal.tenantID == TestTenant.tenantID)
    }

    @Test func appOnlyTokenWithRoleIsAccepted() throws {
        let identity = try TestTenant.identity()
        let claims = DevelopmentIdentity.appTokenClaims(
            tenantID: TestTenant.tenantID, audience: "api://\(TestTenant.clientID)", issuedAt: TestTenant.now, roles: ["Other", TestTenant.appRole])

        let principal = try TestTenant.validator().validate(identity.mintToken(claims: claims), at: TestTenant.now)

        #expect(principal.identity == "unknown")
        #expect(principal.objectID == DevelopmentIdentity.defaultObjectID)
    }

    @Test func appOnlyTokenWithoutConfiguredRolesIsRejected() throws {
        let identity = try TestTenant.identity()
        var policy = TestTenant.policy
        policy.appRoles = []
        let claims = DevelopmentIdentity.appTokenClaims(
            tenantID: TestTenant.tenantID, audience: TestTenant.clientID, issuedAt: TestTenant.now, roles: [TestTenant.appRole])
        let validator = TokenValidator(policy: policy, keys: try identity.keySet())

        let error = #expect(throws: AuthError.self) { try validator.validate(identity.mintToken(claims: claims), at: TestTenant.now) }
        #expect(error?.kind == .insufficientScope)
    }

    @Test func lifetimeWithinLeewayIsAccepted() throws {
        let identity = try TestTenant.identity()
        var claims = TestTenant.userClaims()
        claims["exp"] = .integer(Self.now - 59)
        claims["nbf"] = .integer(Self.now + 59)

        _ = try TestTenant.validator().validate(identity.mintToken(claims: claims), at: TestTenant.now)
    }

    @Test func ignoredHeaderMembersAreNotFollowed() throws {
        let identity = try TestTenant.identity()
        let otherIdentity = try DevelopmentIdentity.generate()
        var header = otherIdentity.defaultHeader
        header["jwk"] = .object(otherIdentity.publicJWK)
        header["jku"] = "https://127.0.0.1:1/keys"
        header["x5u"] = "https://127.0.0.1:1/certificate"
        let embeddedKeyToken = try otherIdentity.mintToken(claims: TestTenant.userClaims(), header: header)
        header["kid"] = .string(identity.keyID)
        let borrowedKeyIDToken = try otherIdentity.mintToken(claims: TestTenant.userClaims(), header: header)

        let unknown = #expect(throws: AuthError.self) { try TestTenant.validator().validate(embeddedKeyToken, at: TestTenant.now) }
        #expect(unknown?.reason == .unknownKeyID)
        let forged = #expect(throws: AuthError.self) { try TestTenant.validator().validate(borrowedKeyIDToken, at: TestTenant.now) }
        #expect(forged?.reason == .invalidSignature)
    }

    @Test func claimFailureCarriesTokenIDs() throws {
        let identity = try TestTenant.identity()
        var claims = TestTenant.userClaims()
        claims["aud"] = "api://another-app"

        let error = #expect(throws: AuthError.self) {
            try TestTenant.validator().validate(identity.mintToken(claims: claims), at: TestTenant.now)
        }
        #expect(error?.keyID == identity.keyID)
        #expect(error?.tenantID == TestTenant.tenantID)
        #expect(error?.objectID == DevelopmentIdentity.defaultObjectID)
    }

    @Test func audienceMessageListsAcceptedAudiencesSafely() throws {
        let identity = try TestTenant.identity()
        var policy = TestTenant.policy
        policy.audiences = ["api://one", #"api://"quoted"\app"#]
        var claims = TestTenant.userClaims()
        claims["aud"] = "api://another-app"

        let error = #expect(throws: AuthError.self) {
            try TokenValidator(policy: policy, keys: identity.keySet()).validate(identity.mintToken(claims: claims), at: TestTenant.now)
        }
        #expect(error?.message == "The token audience (aud) is not this API; expected one of: api://one, api://quotedapp.")
    }

    @Test func tokenAtSizeLimitIsNotTooLarge() throws {
        let identity = try TestTenant.identity()
        let base = try identity.mintToken(claims: TestTenant.userClaims())
        var claims = TestTenant.userClaims()
        // Each 3 bytes of claims grow the token by 4 characters; pad to just under the limit.
        claims["padding"] = .string(String(repeating: "x", count: (TokenPolicy.defaultMaxTokenBytes - base.utf8.count) * 3 / 4 - 30))
        let token = try identity.mintToken(claims: claims)

        #expect(token.utf8.count <= TokenPolicy.defaultMaxTokenBytes)
        _ = try TestTenant.validator().validate(token, at: TestTenant.now)
    }

    @Test func maxLifetimeIsEnforcedWhenSet() throws {
        let identity = try TestTenant.identity()
        var policy = TestTenant.policy
        policy.maxLifetime = 3600
        let validator = TokenValidator(policy: policy, keys: try identity.keySet())
        var exact = TestTenant.userClaims()
        exact["iat"] = .integer(Self.now - 300)
        exact["exp"] = .integer(Self.now + 3300)
        var tooLong = exact
        tooLong["exp"] = .integer(Self.now + 3301)
        var withoutIssuedAt = exact
        withoutIssuedAt["iat"] = nil

        _ = try validator.validate(identity.mintToken(claims: exact), at: TestTenant.now)
        let long = #expect(throws: AuthError.self) { try validator.validate(identity.mintToken(claims: tooLong), at: TestTenant.now) }
        #expect(long?.reason == .lifetimeTooLong)
        let missing = #expect(throws: AuthError.self) { try validator.validate(identity.mintToken(claims: withoutIssuedAt), at: TestTenant.now) }
        #expect(missing?.reason == .lifetimeTooLong)
        _ = try TestTenant.validator().validate(identity.mintToken(claims: tooLong), at: TestTenant.now)
    }

    @Test func additionalTenantIsAccepted() throws {
        let identity = try TestTenant.identity()
        let otherTenant = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
        var policy = TestTenant.policy
        policy.additionalTenantIDs = [otherTenant]
        var claims = TestTenant.userClaims(version: .v1)
        claims["tid"] = .string(otherTenant)
        claims["iss"] = .string(TokenPolicy.issuerV1(tenantID: otherTenant))

        let principal = try TokenValidator(policy: policy, keys: identity.keySet()).validate(identity.mintToken(claims: claims), at: TestTenant.now)

        #expect(principal.tenantID == otherTenant)
        let rejected = #expect(throws: AuthError.self) { try TestTenant.validator().validate(identity.mintToken(claims: claims), at: TestTenant.now) }
        #expect(rejected?.reason == .wrongTenant)
    }

    @Test func keysOfOtherTenantAreNotUsed() throws {
        let identity = try TestTenant.identity()
        let otherTenant = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
        var policy = TestTenant.policy
        policy.additionalTenantIDs = [otherTenant]
        let keys = try identity.keySet()
        let validator = TokenValidator(policy: policy, keySets: { $0 == TestTenant.tenantID ? keys : nil })
        var claims = TestTenant.userClaims()
        claims["tid"] = .string(otherTenant)
        claims["iss"] = .string(TokenPolicy.issuerV2(tenantID: otherTenant))

        let error = #expect(throws: AuthError.self) { try validator.validate(identity.mintToken(claims: claims), at: TestTenant.now) }
        #expect(error?.kind == .keysUnavailable)
    }

    struct KeyIssuerCase: CustomTestStringConvertible, Sendable {
        let name: String
        let keyIssuer: String
        let version: TokenVersion
        let isAccepted: Bool
        var testDescription: String { name }
    }

    static let keyIssuerCases: [KeyIssuerCase] = [
        KeyIssuerCase(name: "v2 template, v2 token", keyIssuer: "https://login.microsoftonline.com/{tenantid}/v2.0", version: .v2, isAccepted: true),
        KeyIssuerCase(name: "v2 template, v1 token", keyIssuer: "https://login.microsoftonline.com/{tenantid}/v2.0", version: .v1, isAccepted: true),
        KeyIssuerCase(
            name: "literal own tenant, v2 token", keyIssuer: "https://login.microsoftonline.com/\(TestTenant.tenantID)/v2.0", version: .v2,
            isAccepted: true),
        KeyIssuerCase(
            name: "literal own tenant, v1 token", keyIssuer: "https://login.microsoftonline.com/\(TestTenant.tenantID)/v2.0", version: .v1,
            isAccepted: true),
        KeyIssuerCase(name: "v1 template, v1 token", keyIssuer: "https://sts.windows.net/{tenantid}/", version: .v1, isAccepted: true),
        KeyIssuerCase(name: "v1 template, v2 token", keyIssuer: "https://sts.windows.net/{tenantid}/", version: .v2, isAccepted: false),
        KeyIssuerCase(
            name: "literal other tenant, v1 token", keyIssuer: "https://login.microsoftonline.com/9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a/v2.0",
            version: .v1, isAccepted: false),
        KeyIssuerCase(name: "other cloud template", keyIssuer: "https://login.microsoftonline.us/{tenantid}/v2.0", version: .v2, isAccepted: false),
    ]

    @Test(arguments: keyIssuerCases)
    func keyIssuerBindsToken(_ testCase: KeyIssuerCase) throws {
        let identity = try TestTenant.identity()
        var key = identity.publicJWK
        key["issuer"] = .string(testCase.keyIssuer)
        let keys = try JSONWebKeySet(jsonData: Array(JSONEncoder().encode(["keys": JSONValue.array([.object(key)])])))
        let token = try identity.mintToken(claims: TestTenant.userClaims(version: testCase.version))

        let validator = TokenValidator(policy: TestTenant.policy, keys: keys)

        if testCase.isAccepted {
            _ = try validator.validate(token, at: TestTenant.now)
        } else {
            let error = #expect(throws: AuthError.self, "\(testCase.name)") { try validator.validate(token, at: TestTenant.now) }
            #expect(error?.reason == .wrongIssuer, "\(testCase.name)")
        }
    }
}
