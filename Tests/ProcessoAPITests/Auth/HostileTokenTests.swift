import DevelopmentIdentity
import Foundation
import Testing

@testable import ProcessoAPI

/// The hostile token table: each row's HTTP status and reason through the real authenticator and the
/// one place that maps errors to responses, and `check-token`'s explanation of the same row.
@Suite struct HostileTokenTests {
    typealias Row = HostileTokenTable.Row
    typealias T = HostileTokenTable

    static let rows: [Row] = accepted + algorithms + headerTricks + encodingTricks + claimTypes + lookAlikes + authorization

    static let accepted: [Row] = [
        Row(name: "v1 user token", status: 200, reason: nil, token: T.minted(version: .v1)),
        Row(name: "v2 user token", status: 200, reason: nil, token: T.minted()),
        Row(name: "custom App ID URI audience", status: 200, reason: nil, token: T.minted { _, claims in claims["aud"] = .string(T.customAudience) }),
        Row(
            name: "guest user", status: 200, reason: nil,
            token: T.minted { _, claims in
                claims["upn"] = nil
                claims["preferred_username"] = "ana_example.com#EXT#@contoso.onmicrosoft.com"
                claims["idp"] = "https://sts.windows.net/3c1f4b7e-2d9a-4f0e-8b6c-5a4d3e2f1a0b/"
                claims["acct"] = 1
            }),
        Row(
            name: "v1 guest with live.com name", status: 200, reason: nil,
            token: T.minted(version: .v1) { _, claims in
                claims["upn"] = nil
                claims["unique_name"] = "live.com#ana@example.com"
            }),
        Row(
            name: "app-only v2 with role", status: 200, reason: nil,
            token: T.minted { _, claims in
                claims["scp"] = nil
                claims["roles"] = [.string(TestTenant.appRole)]
            }),
        Row(
            name: "app-only v1 with role", status: 200, reason: nil,
            token: T.minted(version: .v1) { _, claims in
                claims["scp"] = nil
                claims["roles"] = [.string(TestTenant.appRole)]
            }),
        Row(
            name: "idtyp app with role", status: 200, reason: nil,
            token: T.minted { _, claims in
                claims["scp"] = nil
                claims["idtyp"] = "app"
                claims["roles"] = ["Other", .string(TestTenant.appRole)]
            }),
        Row(name: "several scopes", status: 200, reason: nil, token: T.minted { _, claims in claims["scp"] = "User.Read access_as_user openid" }),
    ]

    static let algorithms: [Row] = [
        Row(name: "alg none", status: 401, reason: .unsupportedAlgorithm, token: T.minted { header, _ in header["alg"] = "none" }),
        Row(name: "alg None", status: 401, reason: .unsupportedAlgorithm, token: T.minted { header, _ in header["alg"] = "None" }),
        Row(name: "alg none without signature", status: 401, reason: .malformedToken, token: T.rewritten { String($0[...$0.lastIndex(of: ".")!]) }),
        Row(
            name: "HS256 keyed with PEM public key", status: 401, reason: .unsupportedAlgorithm,
            token: T.hmacKeyedWithPublicKey(bits: 256, der: false)),
        Row(
            name: "HS256 keyed with DER public key", status: 401, reason: .unsupportedAlgorithm, token: T.hmacKeyedWithPublicKey(bits: 256, der: true)
        ),
        Row(
            name: "HS384 keyed with PEM public key", status: 401, reason: .unsupportedAlgorithm,
            token: T.hmacKeyedWithPublicKey(bits: 384, der: false)),
        Row(name: "alg RS384", status: 401, reason: .unsupportedAlgorithm, token: T.minted { header, _ in header["alg"] = "RS384" }),
        Row(name: "alg RS512", status: 401, reason: .unsupportedAlgorithm, token: T.minted { header, _ in header["alg"] = "RS512" }),
        Row(name: "alg PS256", status: 401, reason: .unsupportedAlgorithm, token: T.minted { header, _ in header["alg"] = "PS256" }),
        Row(name: "alg ES256", status: 401, reason: .unsupportedAlgorithm, token: T.minted { header, _ in header["alg"] = "ES256" }),
        Row(name: "alg EdDSA", status: 401, reason: .unsupportedAlgorithm, token: T.minted { header, _ in header["alg"] = "EdDSA" }),
        Row(name: "alg rs256 lower case", status: 401, reason: .unsupportedAlgorithm, token: T.minted { header, _ in header["alg"] = "rs256" }),
        Row(name: "alg with trailing space", status: 401, reason: .unsupportedAlgorithm, token: T.minted { header, _ in header["alg"] = "RS256 " }),
        Row(name: "alg missing", status: 401, reason: .unsupportedAlgorithm, token: T.minted { header, _ in header["alg"] = nil }),
        Row(name: "alg an array", status: 401, reason: .malformedHeader, token: T.minted { header, _ in header["alg"] = ["RS256"] }),
    ]

    static let headerTricks: [Row] = [
        Row(
            name: "embedded jwk with its own kid", status: 401, reason: .unknownKeyID,
            token: T.signedByAttacker { material, header in header["jwk"] = .object(material.attacker.publicJWK) }),
        Row(
            name: "embedded jwk under tenant kid", status: 401, reason: .invalidSignature,
            token: T.signedByAttacker { material, header in
                header["jwk"] = .object(material.attacker.publicJWK)
                header["kid"] = .string(material.tenant.keyID)
            }),
        Row(
            name: "jku to attacker keys", status: 401, reason: .invalidSignature,
            token: T.signedByAttacker { material, header in
                header["jku"] = "https://127.0.0.1:1/keys"
                header["kid"] = .string(material.tenant.keyID)
            }),
        Row(
            name: "x5u to attacker certificate", status: 401, reason: .invalidSignature,
            token: T.signedByAttacker { material, header in
                header["x5u"] = "https://127.0.0.1:1/certificate.pem"
                header["kid"] = .string(material.tenant.keyID)
            }),
        Row(name: "kid path traversal", status: 401, reason: .unknownKeyID, token: T.minted { header, _ in header["kid"] = "../../etc/passwd" }),
        Row(
            name: "kid with line break", status: 401, reason: .malformedHeader,
            token: T.minted { header, _ in header["kid"] = "abc\nauth.reason=none" }),
        Row(
            name: "kid of 5000 characters", status: 401, reason: .malformedHeader,
            token: T.minted { header, _ in header["kid"] = .string(String(repeating: "k", count: 5000)) }),
        Row(name: "kid null", status: 401, reason: .missingKeyID, token: T.minted { header, _ in header["kid"] = .null }),
        Row(name: "kid empty", status: 401, reason: .missingKeyID, token: T.minted { header, _ in header["kid"] = "" }),
        Row(name: "kid an array", status: 401, reason: .malformedHeader, token: T.minted { header, _ in header["kid"] = ["a"] }),
        Row(
            name: "duplicate alg member", status: 401, reason: .malformedHeader,
            token: { material in
                try T.raw(header: #"{"alg":"none","alg":"RS256","kid":"\#(material.tenant.keyID)"}"#, payload: #"{"tid":"\#(TestTenant.tenantID)"}"#)(
                    material)
            }),
        Row(
            name: "duplicate kid written with an escape", status: 401, reason: .malformedHeader,
            token: { material in
                try T.raw(header: #"{"alg":"RS256","kid":"other","k\u0069d":"\#(material.tenant.keyID)"}"#, payload: "{}")(material)
            }),
        Row(name: "unknown crit", status: 401, reason: .unsupportedCriticalHeader, token: T.minted { header, _ in header["crit"] = ["x-custom"] }),
        Row(name: "Graph nonce in header", status: 401, reason: .graphToken, token: T.minted { header, _ in header["nonce"] = "AbCdEf" }),
    ]

    static let encodingTricks: [Row] = [
        Row(name: "padded signature", status: 401, reason: .malformedToken, token: T.rewritten { $0 + "==" }),
        Row(name: "standard base64 plus", status: 401, reason: .malformedToken, token: T.rewritten { "+" + $0.dropFirst() }),
        Row(name: "standard base64 slash", status: 401, reason: .malformedToken, token: T.rewritten { String($0.dropLast()) + "/" }),
        Row(name: "space inside", status: 401, reason: .malformedToken, token: T.rewritten { $0.replacingOccurrences(of: ".", with: ". ") }),
        Row(name: "line break inside", status: 401, reason: .malformedToken, token: T.rewritten { $0.replacingOccurrences(of: ".", with: ".\n") }),
        Row(
            name: "non-canonical trailing bits", status: 401, reason: .malformedToken,
            token: T.rewritten { token in
                // A 256-byte signature leaves 4 unused bits in its last character; setting one changes no byte.
                let last = token.last!
                let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                let index = alphabet.firstIndex(of: last)!
                return String(token.dropLast()) + String(alphabet[index ^ 1])
            }),
        Row(name: "one segment", status: 401, reason: .malformedToken, token: T.rewritten { String($0.prefix { $0 != "." }) }),
        Row(name: "two segments", status: 401, reason: .malformedToken, token: T.rewritten { String($0[..<$0.lastIndex(of: ".")!]) }),
        Row(name: "four segments", status: 401, reason: .malformedToken, token: T.rewritten { $0 + ".AAAA" }),
        Row(name: "five empty segments", status: 401, reason: .malformedToken, token: { _ in "...." }),
        Row(name: "header not JSON", status: 401, reason: .malformedHeader, token: T.raw(header: "alg=RS256", payload: "{}")),
        Row(name: "header a JSON string", status: 401, reason: .malformedHeader, token: T.raw(header: #""RS256""#, payload: "{}")),
        Row(
            name: "payload a JSON string", status: 401, reason: .malformedClaims,
            token: { material in try T.raw(header: #"{"alg":"RS256","kid":"\#(material.tenant.keyID)"}"#, payload: #""claims""#)(material) }),
        Row(
            name: "payload not JSON", status: 401, reason: .malformedClaims,
            token: { material in try T.raw(header: #"{"alg":"RS256","kid":"\#(material.tenant.keyID)"}"#, payload: "exp=1")(material) }),
        Row(
            name: "token over 16 KiB", status: 401, reason: .tokenTooLarge,
            token: T.minted { _, claims in claims["padding"] = .string(String(repeating: "x", count: 16_384)) }),
    ]

    static let claimTypes: [Row] = [
        Row(
            name: "exp a string", status: 401, reason: .malformedClaims,
            token: T.minted { _, claims in claims["exp"] = .string(String(T.now + 3600)) }),
        Row(name: "iss an array", status: 401, reason: .malformedClaims, token: T.minted { _, claims in claims["iss"] = [.string(T.v2Issuer)] }),
        Row(
            name: "aud an array", status: 401, reason: .malformedClaims,
            token: T.minted { _, claims in claims["aud"] = [.string(TestTenant.clientID)] }),
        Row(name: "tid a number", status: 401, reason: .malformedClaims, token: T.minted { _, claims in claims["tid"] = 7 }),
        Row(name: "nbf a string", status: 401, reason: .malformedClaims, token: T.minted { _, claims in claims["nbf"] = "0" }),
        Row(name: "roles a string", status: 401, reason: .malformedClaims, token: T.minted { _, claims in claims["roles"] = "Processes.Read" }),
        Row(
            name: "duplicate aud claim", status: 401, reason: .malformedClaims,
            token: { material in
                let claims = String(decoding: JSONValue.encodeObjectForTests(TestTenant.userClaims()), as: UTF8.self)
                let header = #"{"alg":"RS256","kid":"\#(material.tenant.keyID)"}"#
                return try T.raw(header: header, payload: #"{"aud":"api://another-app","# + claims.dropFirst())(material)
            }),
        Row(name: "exp missing", status: 401, reason: .missingExpiration, token: T.minted { _, claims in claims["exp"] = nil }),
        Row(name: "expired beyond leeway", status: 401, reason: .expired, token: T.minted { _, claims in claims["exp"] = .integer(T.now - 61) }),
        Row(name: "nbf beyond leeway", status: 401, reason: .notYetValid, token: T.minted { _, claims in claims["nbf"] = .integer(T.now + 61) }),
        Row(name: "tid not a GUID", status: 401, reason: .wrongTenant, token: T.minted { _, claims in claims["tid"] = "contoso.onmicrosoft.com" }),
        Row(name: "tid missing", status: 401, reason: .wrongTenant, token: T.minted { _, claims in claims["tid"] = nil }),
        Row(name: "ver 3.0", status: 401, reason: .unsupportedTokenVersion, token: T.minted { _, claims in claims["ver"] = "3.0" }),
    ]

    static let lookAlikes: [Row] = [
        Row(
            name: "tid of another tenant", status: 401, reason: .wrongTenant,
            token: T.minted { _, claims in
                claims["tid"] = .string(T.otherTenantID)
                claims["iss"] = .string(TokenPolicy.issuerV2(tenantID: T.otherTenantID))
            }),
        Row(
            name: "issuer of another tenant", status: 401, reason: .wrongIssuer,
            token: T.minted { _, claims in claims["iss"] = .string(TokenPolicy.issuerV2(tenantID: T.otherTenantID)) }),
        Row(
            name: "issuer host prefix look-alike", status: 401, reason: .wrongIssuer,
            token: T.minted { _, claims in claims["iss"] = .string("https://login.microsoftonline.com.example/\(TestTenant.tenantID)/v2.0") }),
        Row(
            name: "issuer with suffix", status: 401, reason: .wrongIssuer, token: T.minted { _, claims in claims["iss"] = .string(T.v2Issuer + "x") }),
        Row(
            name: "issuer with trailing slash", status: 401, reason: .wrongIssuer,
            token: T.minted { _, claims in claims["iss"] = .string(T.v2Issuer + "/") }),
        Row(
            name: "issuer over http", status: 401, reason: .wrongIssuer,
            token: T.minted { _, claims in claims["iss"] = .string(T.v2Issuer.replacingOccurrences(of: "https:", with: "http:")) }),
        Row(
            name: "v1 issuer without trailing slash", status: 401, reason: .wrongIssuer,
            token: T.minted(version: .v1) { _, claims in claims["iss"] = .string("https://sts.windows.net/\(TestTenant.tenantID)") }),
        Row(
            name: "v2 token with v1 issuer", status: 401, reason: .wrongIssuer,
            token: T.minted { _, claims in claims["iss"] = .string(TokenPolicy.issuerV1(tenantID: TestTenant.tenantID)) }),
        Row(
            name: "key bound to another tenant", status: 401, reason: .wrongIssuer,
            token: { material in try material.boundElsewhere.mintToken(claims: TestTenant.userClaims()) }),
        Row(
            name: "aud missing last character", status: 401, reason: .wrongAudience,
            token: T.minted { _, claims in claims["aud"] = .string(String(TestTenant.clientID.dropLast())) }),
        Row(
            name: "aud with trailing slash", status: 401, reason: .wrongAudience,
            token: T.minted { _, claims in claims["aud"] = .string("api://\(TestTenant.clientID)/") }),
        Row(
            name: "aud differing in case", status: 401, reason: .wrongAudience,
            token: T.minted { _, claims in claims["aud"] = .string(TestTenant.clientID.uppercased()) }),
        Row(name: "aud of another app", status: 401, reason: .wrongAudience, token: T.minted { _, claims in claims["aud"] = "api://another-app" }),
        Row(
            name: "Microsoft Graph audience", status: 401, reason: .graphToken,
            token: T.minted { _, claims in claims["aud"] = "00000003-0000-0000-c000-000000000000" }),
        Row(
            name: "Microsoft Graph resource URI", status: 401, reason: .graphToken,
            token: T.minted { _, claims in claims["aud"] = "https://graph.microsoft.com" }),
        Row(
            name: "signature by attacker under tenant kid", status: 401, reason: .invalidSignature,
            token: T.signedByAttacker { material, header in header["kid"] = .string(material.tenant.keyID) }),
    ]

    static let authorization: [Row] = [
        Row(name: "scp without the scope", status: 403, reason: .missingScope, token: T.minted { _, claims in claims["scp"] = "User.Read" }),
        Row(
            name: "scp with a longer scope name", status: 403, reason: .missingScope,
            token: T.minted { _, claims in claims["scp"] = "access_as_user_admin" }),
        Row(
            name: "idtyp app ignores scp", status: 403, reason: .missingScope,
            token: T.minted { _, claims in
                claims["idtyp"] = "app"
                claims["roles"] = ["Processes.Write"]
            }),
        Row(
            name: "idtyp user without scp", status: 403, reason: .missingScope,
            token: T.minted { _, claims in
                claims["scp"] = nil
                claims["idtyp"] = "user"
                claims["roles"] = [.string(TestTenant.appRole)]
            }),
        Row(name: "no scp and no roles", status: 403, reason: .missingScope, token: T.minted { _, claims in claims["scp"] = nil }),
    ]

    static func authenticator(sink: LogSink = .capture()) throws -> BearerAuthenticator {
        let keys = try T.keySet(T.material())
        return BearerAuthenticator(
            policy: T.policy, keySource: StaticSigningKeys(keys), logger: Logger(label: "auth", sink: sink), clock: { TestTenant.now })
    }

    @Test func tableHasFortyRows() {
        #expect(Self.rows.count >= 40)
        #expect(Set(Self.rows.map(\.name)).count == Self.rows.count, "two rows share a name")
    }

    @Test(arguments: rows)
    func rowGetsStatusAndReason(_ row: Row) throws {
        let token = try row.token(T.material())
        let request = Request(method: "GET", path: "/getprocessnumber", rawQuery: "", authorization: "Bearer " + token, requestID: "r1")
        let responder = ErrorResponder(realm: "processo-api", logger: Logger(label: "http", sink: .capture()))

        let authenticator = try Self.authenticator()
        let status: Int
        var reason: AuthFailureReason?
        do throws(AuthError) {
            _ = try authenticator.authenticate(authorization: "Bearer " + token, requestID: "r1")
            status = 200
        } catch {
            reason = error.reason
            status = responder.response(for: error, request: request).status.code
            #expect(!error.message.isEmpty, "\(row.name)")
            #expect(!error.message.contains("\""), "\(row.name): the message breaks a quoted-string header")
        }

        #expect(status == row.status, "\(row.name)")
        #expect(reason == row.reason, "\(row.name)")
    }

    @Test(arguments: rows)
    func checkTokenExplainsRow(_ row: Row) throws {
        let token = try row.token(T.material())
        let validator = TokenValidator(policy: T.policy, keys: try T.keySet(T.material()))

        let report = TokenCheckReport(token: token, validator: validator, at: TestTenant.now)
        let lines = report.lines(at: TestTenant.now)

        #expect(report.isAccepted == (row.status == 200), "\(row.name)")
        #expect(report.error?.reason == row.reason, "\(row.name)")
        let failures = lines.filter { $0.hasPrefix("  FAIL") }
        if let reason = row.reason {
            #expect(failures.count == 1, "\(row.name): \(lines)")
            #expect(failures.first?.hasSuffix("[\(reason.rawValue)]") == true, "\(row.name): \(failures)")
            #expect(lines.last == "Result: rejected with HTTP \(row.status), reason \(reason.rawValue).", "\(row.name)")
        } else {
            #expect(failures.isEmpty, "\(row.name): \(failures)")
            let names = [
                "size and segments", "header", "claims decoding", "tenant", "signing keys", "key lookup", "signature", "lifetime", "issuer",
                "audience", "scope or app role",
            ]
            #expect(report.steps.map(\.name) == names, "\(row.name)")
            #expect(lines.last?.hasPrefix("Result: accepted for ") == true, "\(row.name)")
        }
    }

    @Test func rejectionsNeverLogTheToken() throws {
        let sink = LogSink.capture()
        let authenticator = try Self.authenticator(sink: sink)
        var segments: [Substring] = []
        for row in Self.rows where row.status != 200 {
            let token = try row.token(T.material())
            segments += token.split(separator: ".").filter { $0.count > 16 }
            _ = try? authenticator.authenticate(authorization: "Bearer " + token, requestID: "r1")
        }

        let log = sink.capturedLines.joined()
        #expect(sink.capturedLines.count == Self.rows.filter { $0.status != 200 }.count, "each rejection is logged once")
        for segment in segments {
            #expect(!log.contains(segment), "a token segment was logged")
        }
        #expect(!log.contains("\nauth.reason=none"), "a kid forged a log line")
    }
}
