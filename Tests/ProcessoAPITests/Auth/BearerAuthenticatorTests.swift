import DevelopmentIdentity
import Foundation
import Synchronization
import Testing

@testable import ProcessoAPI

@Suite struct BearerAuthenticatorTests {
    /// A key source that records the unknown key ids reported to it.
    final class RecordingKeySource: SigningKeySource {
        let keys: JSONWebKeySet?
        let reportedKeyIDs = Mutex<[String]>([])

        init(keys: JSONWebKeySet?) {
            self.keys = keys
        }

        func currentKeys(tenantID: String) -> JSONWebKeySet? { keys }
        func keyIDNotFound(_ keyID: String, tenantID: String) -> UnknownKeyOutcome {
            reportedKeyIDs.withLock { $0.append(keyID) }
            return .notPublished
        }
        func readiness() -> Readiness { Readiness(isReady: keys != nil, detail: "recording") }
    }

    static func authenticator(keys: JSONWebKeySet?, sink: LogSink = .capture()) -> (BearerAuthenticator, RecordingKeySource) {
        let source = RecordingKeySource(keys: keys)
        let authenticator = BearerAuthenticator(
            policy: TestTenant.policy, keySource: source, logger: Logger(label: "auth", sink: sink), clock: { TestTenant.now })
        return (authenticator, source)
    }

    static func validToken() throws -> String {
        try TestTenant.identity().mintToken(claims: TestTenant.userClaims())
    }

    @Test(arguments: ["Bearer ", "bearer ", "BEARER ", "  Bearer "])
    func schemeIsCaseInsensitive(prefix: String) throws {
        let (authenticator, _) = Self.authenticator(keys: try TestTenant.identity().keySet())

        let principal = try authenticator.authenticate(authorization: prefix + Self.validToken() + " ", requestID: "r1")

        #expect(principal.identity == DevelopmentIdentity.defaultUserPrincipalName)
    }

    struct HeaderCase: CustomTestStringConvertible, Sendable {
        let name: String
        let header: String?
        let kind: AuthError.Kind
        let reason: AuthFailureReason
        var testDescription: String { name }
    }

    static let headerCases: [HeaderCase] = [
        HeaderCase(name: "no header", header: nil, kind: .missingCredentials, reason: .missingCredentials),
        HeaderCase(name: "empty header", header: "", kind: .missingCredentials, reason: .missingCredentials),
        HeaderCase(name: "blank header", header: "  \t", kind: .missingCredentials, reason: .missingCredentials),
        HeaderCase(name: "Basic scheme", header: "Basic dXNlcjpwYXNz", kind: .invalidToken, reason: .unsupportedScheme),
        HeaderCase(name: "scheme without space", header: "Bearer:abc", kind: .invalidToken, reason: .unsupportedScheme),
        HeaderCase(name: "scheme only", header: "Bearer", kind: .invalidToken, reason: .malformedToken),
        HeaderCase(name: "two spaces", header: "Bearer  a.b.c", kind: .invalidToken, reason: .malformedToken),
        HeaderCase(name: "two tokens", header: "Bearer a.b.c d.e.f", kind: .invalidToken, reason: .malformedToken),
        HeaderCase(name: "tab inside", header: "Bearer a.b\t.c", kind: .invalidToken, reason: .malformedToken),
        HeaderCase(name: "not a JWS", header: "Bearer opaque-token", kind: .invalidToken, reason: .malformedToken),
    ]

    @Test(arguments: headerCases)
    func badHeaderIsRejected(_ testCase: HeaderCase) throws {
        let (authenticator, _) = Self.authenticator(keys: try TestTenant.identity().keySet())

        let error = #expect(throws: AuthError.self, "\(testCase.name)") {
            try authenticator.authenticate(authorization: testCase.header, requestID: "r1")
        }
        #expect(error?.kind == testCase.kind, "\(testCase.name)")
        #expect(error?.reason == testCase.reason, "\(testCase.name)")
    }

    @Test func missingKeysGiveKeysUnavailable() throws {
        for keys in [nil, JSONWebKeySet.empty] {
            let (authenticator, _) = Self.authenticator(keys: keys)

            let error = #expect(throws: AuthError.self) {
                try authenticator.authenticate(authorization: "Bearer " + Self.validToken(), requestID: "r1")
            }
            #expect(error?.kind == .keysUnavailable)
            #expect(error?.reason == .keysUnavailable)
        }
    }

    @Test func missingHeaderIsReportedBeforeMissingKeys() {
        let (authenticator, _) = Self.authenticator(keys: nil)

        let error = #expect(throws: AuthError.self) { try authenticator.authenticate(authorization: nil, requestID: "r1") }
        #expect(error?.kind == .missingCredentials)
    }

    @Test func unknownKeyIDIsReportedToSource() throws {
        let (authenticator, source) = Self.authenticator(keys: try TestTenant.identity().keySet())
        let stranger = try DevelopmentIdentity.generate()
        let token = try stranger.mintToken(claims: TestTenant.userClaims())

        let error = #expect(throws: AuthError.self) { try authenticator.authenticate(authorization: "Bearer " + token, requestID: "r1") }
        #expect(error?.reason == .unknownKeyID)
        #expect(source.reportedKeyIDs.withLock { $0 } == [stranger.keyID])
    }

    @Test func rejectionIsLoggedOnceWithoutToken() throws {
        let sink = LogSink.capture()
        let (authenticator, _) = Self.authenticator(keys: try TestTenant.identity().keySet(), sink: sink)
        var claims = TestTenant.userClaims()
        claims["aud"] = "api://another-app"
        let token = try TestTenant.identity().mintToken(claims: claims)
        let parts = token.split(separator: ".")

        #expect(throws: AuthError.self) { try authenticator.authenticate(authorization: "Bearer " + token, requestID: "request-42") }

        let lines = sink.capturedLines
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.contains("auth.reason=wrong_audience"))
        #expect(line.contains("request.id=request-42"))
        #expect(line.contains("jwt.kid=\(try TestTenant.identity().keyID)"))
        #expect(line.contains("jwt.tid=\(TestTenant.tenantID)"))
        #expect(line.contains("jwt.oid=\(DevelopmentIdentity.defaultObjectID)"))
        #expect(line.contains("jwt.iss=\(TokenPolicy.issuerV2(tenantID: TestTenant.tenantID))"))
        #expect(line.contains("jwt.aud=api://another-app"))
        for part in parts {
            #expect(!line.contains(part), "a token segment was logged")
        }
        #expect(!line.contains(DevelopmentIdentity.defaultUserPrincipalName), "a claim value was logged")
    }

    @Test func acceptedRequestLogsNothing() throws {
        let sink = LogSink.capture()
        let (authenticator, _) = Self.authenticator(keys: try TestTenant.identity().keySet(), sink: sink)

        _ = try authenticator.authenticate(authorization: "Bearer " + Self.validToken(), requestID: "r1")

        #expect(sink.capturedLines.isEmpty)
    }

    @Test func readinessComesFromKeySource() {
        let ready = BearerAuthenticator(
            policy: TestTenant.policy, keySource: StaticSigningKeys(.empty), logger: Logger(label: "auth", sink: .capture()))

        #expect(ready.readiness().isReady == false)
    }
}
