import DevelopmentIdentity
import Foundation
import Testing

@testable import ProcessoAPI

/// The key provider against a local HTTPS server that plays the tenant's OpenID configuration and JWKS.
@Suite(.serialized) struct SigningKeyProviderTests {
    /// Short intervals so the tests take about a second; one hour between scheduled refreshes keeps
    /// them out of the way.
    static let fastSchedule = SigningKeyProvider.Schedule(
        refreshInterval: .seconds(3600), unknownKeyRefetchInterval: .milliseconds(800), initialRetryDelay: .milliseconds(50),
        maxRetryDelay: .milliseconds(200))

    /// A tenant served over HTTPS on 127.0.0.1: discovery documents for `identity` under `root`.
    final class LocalTenant {
        let folder: URL
        let root: URL
        let authority: TestCertificateAuthority
        var server: LocalHTTPSServer
        let sink = LogSink.capture()

        init(identity: DevelopmentIdentity) throws {
            folder = try TemporaryDirectory.make(prefix: "tenant")
            root = folder.appendingPathComponent("root")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            authority = try TestCertificateAuthority(name: "tenant")
            server = try LocalHTTPSServer(root: root, authority: authority)
            try publish(identity)
        }

        var metadataURL: String {
            "\(server.baseURL)/\(TestTenant.tenantID)/v2.0/.well-known/openid-configuration"
        }

        /// Writes the discovery documents so that the JWKS lists `identities`' keys.
        func publish(_ identities: DevelopmentIdentity...) throws {
            let documents = try identities[0].writeDiscoveryDocuments(to: root.path, baseURL: server.baseURL, tenantID: TestTenant.tenantID)
            let keys = identities.map { JSONValue.object($0.publicJWK) }
            try JSONEncoder().encode(["keys": JSONValue.array(keys)]).write(to: URL(fileURLWithPath: documents.jwksPath))
        }

        func provider(schedule: SigningKeyProvider.Schedule = SigningKeyProviderTests.fastSchedule) -> SigningKeyProvider {
            let client = HTTPClient(options: .init(caFile: authority.certificatePath, connectTimeout: .seconds(1), totalTimeout: .seconds(2)))
            return SigningKeyProvider(metadataURL: metadataURL, client: client, logger: Logger(label: "keys", sink: sink), schedule: schedule)
        }

        var jwksRequests: Int { server.requestCount(path: "/jwks.json") }

        func close() {
            server.stop()
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: authority.directory)
        }
    }

    /// Polls `condition` every 20 ms until it is true or `timeout` passes.
    static func eventually(timeout: Duration = .seconds(3), _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return true
    }

    @Test func startLoadsKeys() throws {
        let identity = try TestTenant.identity()
        let tenant = try LocalTenant(identity: identity)
        defer { tenant.close() }
        let provider = tenant.provider()
        defer { provider.stop() }

        #expect(provider.readiness().isReady == false)
        provider.start()

        #expect(provider.waitUntilReady(timeout: .seconds(3)))
        #expect(provider.currentKeys()?.keyIDs == [identity.keyID])
        #expect(provider.readiness() == Readiness(isReady: true, detail: "1 signing key is loaded."))
        // The keys are published just before the line is logged, so the line may trail readiness briefly.
        #expect(Self.eventually { tenant.sink.capturedLines.contains { $0.contains("signing keys refreshed") } })
        let refreshLine = tenant.sink.capturedLines.first { $0.contains("signing keys refreshed") }
        #expect(refreshLine?.contains("keys.count=1") == true)
        #expect(refreshLine?.contains("jwt.kids=\(identity.keyID)") == true)
    }

    @Test func tokenFromLoadedKeysIsAccepted() throws {
        let identity = try TestTenant.identity()
        let tenant = try LocalTenant(identity: identity)
        defer { tenant.close() }
        let provider = tenant.provider()
        defer { provider.stop() }
        let authenticator = BearerAuthenticator(
            policy: TestTenant.policy, keySource: provider, logger: Logger(label: "auth", sink: tenant.sink), clock: { TestTenant.now })

        provider.start()
        #expect(provider.waitUntilReady(timeout: .seconds(3)))

        let principal = try authenticator.authenticate(
            authorization: "Bearer " + identity.mintToken(claims: TestTenant.userClaims()), requestID: "r1")
        #expect(principal.identity == DevelopmentIdentity.defaultUserPrincipalName)
        #expect(authenticator.readiness().isReady)
    }

    /// A rotated key becomes usable after one background refetch, and further unknown `kid`s within
    /// the interval cause no more fetches.
    @Test func unknownKeyIDRefetchesAtMostOncePerInterval() throws {
        let identity = try TestTenant.identity()
        let rotated = try DevelopmentIdentity.generate()
        let tenant = try LocalTenant(identity: identity)
        defer { tenant.close() }
        let provider = tenant.provider()
        defer { provider.stop() }
        let authenticator = BearerAuthenticator(
            policy: TestTenant.policy, keySource: provider, logger: Logger(label: "auth", sink: tenant.sink), clock: { TestTenant.now })
        let rotatedToken = "Bearer " + (try rotated.mintToken(claims: TestTenant.userClaims()))
        provider.start()
        #expect(provider.waitUntilReady(timeout: .seconds(3)))
        #expect(tenant.jwksRequests == 1)

        try tenant.publish(identity, rotated)
        let first = #expect(throws: AuthError.self) { try authenticator.authenticate(authorization: rotatedToken, requestID: "r1") }
        #expect(first?.reason == .unknownKeyID)
        // The background refetch may finish while these run, so each is either rejected the same way or accepted.
        for attempt in 2...5 {
            do {
                _ = try authenticator.authenticate(authorization: rotatedToken, requestID: "r\(attempt)")
            } catch {
                #expect(error.reason == .unknownKeyID, "attempt \(attempt)")
            }
        }

        #expect(Self.eventually { provider.currentKeys()?.keys.count == 2 })
        #expect(tenant.jwksRequests == 2)
        _ = try authenticator.authenticate(authorization: rotatedToken, requestID: "r2")

        provider.keyIDNotFound("another-unknown-kid")
        Thread.sleep(forTimeInterval: 0.3)
        #expect(tenant.jwksRequests == 2, "a second refetch ran within the interval")

        Thread.sleep(forTimeInterval: 0.6)
        provider.keyIDNotFound("another-unknown-kid")
        #expect(Self.eventually { tenant.jwksRequests == 3 }, "no refetch after the interval passed")
    }

    @Test func serverDownMeansNotReadyUntilItComesUp() throws {
        let identity = try TestTenant.identity()
        let tenant = try LocalTenant(identity: identity)
        defer { tenant.close() }
        let port = tenant.server.port
        tenant.server.stop()
        let provider = tenant.provider()
        defer { provider.stop() }
        let authenticator = BearerAuthenticator(
            policy: TestTenant.policy, keySource: provider, logger: Logger(label: "auth", sink: tenant.sink), clock: { TestTenant.now })
        let token = "Bearer " + (try identity.mintToken(claims: TestTenant.userClaims()))

        provider.start()
        #expect(Self.eventually { tenant.sink.capturedLines.filter { $0.contains("signing key fetch failed") }.count >= 2 })
        #expect(provider.readiness().isReady == false)
        let error = #expect(throws: AuthError.self) { try authenticator.authenticate(authorization: token, requestID: "r1") }
        #expect(error?.kind == .keysUnavailable)

        tenant.server = try LocalHTTPSServer(root: tenant.root, authority: tenant.authority, port: port)

        #expect(provider.waitUntilReady(timeout: .seconds(3)))
        _ = try authenticator.authenticate(authorization: token, requestID: "r2")
    }

    @Test func failedRefreshKeepsPreviousKeys() throws {
        let identity = try TestTenant.identity()
        let tenant = try LocalTenant(identity: identity)
        defer { tenant.close() }
        let provider = tenant.provider()
        defer { provider.stop() }
        provider.start()
        #expect(provider.waitUntilReady(timeout: .seconds(3)))

        try Data("{\"keys\": []}".utf8).write(to: tenant.root.appendingPathComponent("jwks.json"))
        provider.keyIDNotFound("rotated-kid")

        #expect(Self.eventually { tenant.sink.capturedLines.contains { $0.contains("keeping the previous keys") } })
        #expect(provider.currentKeys()?.keyIDs == [identity.keyID])
        #expect(provider.readiness().isReady)
        let warning = tenant.sink.capturedLines.first { $0.contains("keeping the previous keys") }
        #expect(warning?.contains("no usable RSA signing key") == true)
    }

    @Test func stoppedProviderFetchesNothingMore() throws {
        let identity = try TestTenant.identity()
        let tenant = try LocalTenant(identity: identity)
        defer { tenant.close() }
        let provider = tenant.provider(
            schedule: .init(refreshInterval: .milliseconds(100), unknownKeyRefetchInterval: .seconds(300), initialRetryDelay: .milliseconds(50)))
        provider.start()
        #expect(Self.eventually { tenant.jwksRequests >= 2 }, "the short refresh interval did not refetch")

        provider.stop()
        Thread.sleep(forTimeInterval: 0.1)
        let requestsAfterStop = tenant.jwksRequests
        Thread.sleep(forTimeInterval: 0.4)

        #expect(tenant.jwksRequests == requestsAfterStop)
    }

    @Test func retryDelayDoublesUpToCap() {
        let provider = SigningKeyProvider(
            metadataURL: "https://127.0.0.1:1/", client: HTTPClient(), logger: Logger(label: "keys", sink: .capture()))

        let delays = (1...9).map { provider.retryDelay(afterFailures: $0) }

        #expect(delays == [1, 2, 4, 8, 16, 32, 60, 60, 60].map { Duration.seconds($0) })
    }

    @Test func providerUsesConfiguredMetadataURL() {
        let configuration = Configuration(
            tenantID: TestTenant.tenantID, clientID: TestTenant.clientID, audiences: [], requiredScope: "access_as_user", appRoles: [],
            clockLeeway: 60, authorityHost: "https://127.0.0.1:8443/", caFile: "/tmp/ca.pem", listenAddress: .tcp(host: "127.0.0.1", port: 9000),
            workerCount: 1, registryPath: "", documentsDirectory: "", defaultDocument: "", logLevel: .info)

        let provider = SigningKeyProvider(configuration: configuration, logger: Logger(label: "keys", sink: .capture()))
        let policy = TokenPolicy(configuration: configuration)

        #expect(provider.metadataURL == "https://127.0.0.1:8443/\(TestTenant.tenantID)/v2.0/.well-known/openid-configuration")
        #expect(provider.client.options.caFile == "/tmp/ca.pem")
        #expect(policy.audiences == [TestTenant.clientID, "api://\(TestTenant.clientID)"])
        #expect(policy.clockLeeway == 60)
        #expect(policy.maxTokenBytes == 16384)
    }
}
