import Foundation
import Testing

/// Token checks as a client sees them: status, `WWW-Authenticate` and the JSON body.
@Suite(.serialized) struct AuthenticationTests {
    let stack: LocalStack
    let tokens: TokenFactory
    let path = "/getprocessnumber?protocol=1"

    init() throws {
        stack = try LocalStack.start()
        tokens = try TokenFactory(stack: stack)
    }

    @Test func missingTokenGetsBareChallenge() throws {
        let response = try stack.client.get(stack.url(path))
        #expect(response.status == 401)
        #expect(response.headers["www-authenticate"] == #"Bearer realm="processo-api""#)
        #expect(try response.json()["detail"] as? String == "Not authenticated")
    }

    @Test func healthReportsKeysAndCacheIsWritten() throws {
        let response = try stack.client.get(stack.url("/healthz"))
        let states = try #require(try response.json()["signing_keys"] as? [[String: Any]])
        let tenantID = try #require(stack.environment["AZURE_TENANT_ID"])

        #expect(response.status == 200)
        #expect(states.count == 1)
        #expect(states.first?["tenant_id"] as? String == tenantID)
        #expect(states.first?["key_count"] as? Int == 1)
        #expect(states.first?["source"] as? String == "network")
        #expect(states.first?["last_error"] is NSNull)
        #expect(FileManager.default.fileExists(atPath: stack.path("keys/jwks-\(tenantID).json")))
    }

    @Test func otherSchemeIsInvalidToken() throws {
        let response = try stack.client.get(stack.url(path), headers: ["Authorization: Basic dXNlcjpwYXNz"])
        #expect(response.status == 401)
        #expect(response.headers["www-authenticate"]?.contains(#"error="invalid_token""#) == true)
    }

    @Test(arguments: RejectedToken.allCases)
    func rejectedTokenIsUnauthorized(_ rejected: RejectedToken) throws {
        let token = try rejected.token(from: tokens)
        let response = try stack.client.get(stack.url(path), bearer: token)

        #expect(response.status == 401, "\(rejected): \(response.text)")
        let challenge = try #require(response.headers["www-authenticate"], "\(rejected)")
        #expect(challenge.hasPrefix(#"Bearer realm="processo-api", error="invalid_token", error_description=""#), "\(rejected)")
        let detail = try #require(try response.json()["detail"] as? String, "\(rejected)")
        #expect(!detail.isEmpty, "\(rejected)")
        #expect(!detail.contains(token), "\(rejected)")
    }

    @Test func missingScopeIsForbidden() throws {
        let token = try tokens.mint(claims: ["scp": .string("User.Read")])
        let response = try stack.client.get(stack.url(path), bearer: token)

        #expect(response.status == 403, "\(response.text)")
        let challenge = try #require(response.headers["www-authenticate"])
        #expect(challenge.contains(#"error="insufficient_scope""#))
        #expect(try response.json()["detail"] as? String != nil)
    }

    @Test func responderNeverLogsTokens() throws {
        let token = try tokens.mint(claims: ["aud": .string("api://someone-else")])
        _ = try stack.client.get(stack.url(path), bearer: token)

        let log = try String(contentsOfFile: stack.path("logs/responder.log"), encoding: .utf8)
        let signature = try #require(token.split(separator: ".").last)
        #expect(!log.contains(String(signature)))
        #expect(!log.contains(String(token.split(separator: ".")[1])))
        #expect(log.contains("wrong_audience"))
    }
}

/// Tokens that break one rule each and must get 401 `invalid_token`.
enum RejectedToken: String, CaseIterable, CustomTestStringConvertible {
    case expired
    case wrongAudience
    case wrongTenant
    case badSignature
    case unknownKey
    case notAJWT

    var testDescription: String { rawValue }

    func token(from tokens: TokenFactory) throws -> String {
        let now = Int(Date().timeIntervalSince1970)
        switch self {
        case .expired:
            return try tokens.mint(claims: ["iat": .integer(now - 7200), "nbf": .integer(now - 7200), "exp": .integer(now - 3600)])
        case .wrongAudience:
            return try tokens.mint(claims: ["aud": .string("api://someone-else")])
        case .wrongTenant:
            let other = "72f988bf-86f1-41af-91ab-2d7cd011db47"
            return try tokens.mint(claims: ["tid": .string(other), "iss": .string("https://sts.windows.net/\(other)/")])
        case .badSignature:
            return try tokens.mintWithAlteredSignature()
        case .unknownKey:
            return try tokens.mint(keyID: "not-published-by-this-tenant")
        case .notAJWT:
            return "not-a-token"
        }
    }
}
