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

    static func authenticator(_ keys: any SigningKeySource, sink: LogSink) -> BearerAuthenticator {
        BearerAuthenticator(policy: TestTenant.policy, keySource: keys, logger: Logger(label: "auth", sink: sink), clock: { TestTenant.now })
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
        #expect(provider.currentKeys(tenantID: TestTenant.tenantID)?.keyIDs == [identity.keyID])
        let readiness = provider.readiness()
        #expect(readiness.isReady)
        #expect(readiness.detail == "1 signing key is loaded.")
        // The keys are published just before the line is logged, so the line may trail readiness briefly.
        #expect(eventually { tenant.sink.capturedLines.contains { $0.contains("signing keys refreshed") } })
        let refreshLine = tenant.sink.capturedLines.first { $0.contains("signing keys refreshed") }
        #expect(refreshLine?.contains("keys.count=1") == true)
        #expect(refreshLine?.contains("jwt.kids=\(identity.keyID)") == true)
    }

    @Test func otherTenantGetsNoKeys() throws {
        let tenant = try LocalTenant(identity: try TestTenant.identity())
        defer { tenant.close() }
        let provider = tenant.provider()
        defer { provider.stop() }
        provider.start()
        #expect(provider.waitUntilReady(timeout: .seconds(3)))

        #expect(provider.currentKeys(tenantID: "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a") == nil)
        #expect(provider.currentKeys(tenantID: TestTenant.tenantID.uppercased()) != nil)
    }

    @Test func tokenFromLoadedKeysIsAccepted() throws {
        let identity = try TestTenant.identity()
        let tenant = try LocalTenant(identity: identity)
        defer { tenant.close() }
        let provider = tenant.provider()
        defer { provider.stop() }
        let authenticator = Self.authenticator(provider, sink: tenant.sink)

        provider.start()
        #expect(provider.waitUntilReady(timeout: .seconds(3)))

        let principal = try authenticator.authenticate(
            authorization: "Bearer " + identity.mintToken(claims: TestTenant.userClaims()), requestID: "r1")
        #expect(principal.identity == DevelopmentIdentity.defaultUserPrincipalName)
        #expect(authenticator.readiness().isReady)
    }

    @Test func stoppedProviderFetchesNothingMore() throws {
        let identity = try TestTenant.identity()
        let tenant = try LocalTenant(identity: identity)
        defer { tenant.close() }
        let provider = tenant.provider(
            schedule: .init(
                refreshInterval: .milliseconds(100), refreshJitter: 0, unknownKeyRefetchInterval: .seconds(300),
                initialRetryDelay: .milliseconds(50)))
        provider.start()
        #expect(eventually { tenant.jwksRequests() >= 2 }, "the short refresh interval did not refetch")

        provider.stop()
        Thread.sleep(forTimeInterval: 0.1)
        let requestsAfterStop = tenant.jwksRequests()
        Thread.sleep(forTimeInterval: 0.4)

        #expect(tenant.jwksRequests() == requestsAfterStop)
    }

    @Test func retryDelayDoublesUpToCap() {
        let provider = SigningKeyProvider(
            tenantID: TestTenant.tenantID, metadataURL: "https://127.0.0.1:1/", client: HTTPClient(),
            logger: Logger(label: "keys", sink: .capture()))

        let delays = (1...9).map { provider.retryDelay(afterFailures: $0) }

        #expect(delays == [1, 2, 4, 8, 16, 32, 60, 60, 60].map { Duration.seconds($0) })
    }

    @Test func refreshDelayStaysWithinJitter() {
        let provider = SigningKeyProvider(
            tenantID: TestTenant.tenantID, metadataURL: "https://127.0.0.1:1/", client: HTTPClient(),
            logger: Logger(label: "keys", sink: .capture()))

        #expect(provider.refreshDelay(random: 0) == .seconds(3240))
        #expect(provider.refreshDelay(random: 0.5) == .seconds(3600))
        #expect(provider.refreshDelay(random: 1) == .seconds(3960))
        let samples = (0..<20).map { _ in provider.refreshDelay(random: Double.random(in: 0...1)) }
        #expect(samples.allSatisfy { $0 >= .seconds(3240) })
        #expect(samples.allSatisfy { $0 <= .seconds(3960) })
        #expect(Set(samples).count > 1, "twenty random delays were all equal")
    }

    @Test func keysUseConfiguredMetadataURLs() {
        var configuration = Configuration(
            tenantID: TestTenant.tenantID, clientID: TestTenant.clientID, audiences: [], requiredScopes: ["access_as_user"], appRoles: [],
            clockLeeway: 60, authorityHost: "https://127.0.0.1:8443/", caFile: "/tmp/ca.pem", listenAddress: .tcp(host: "127.0.0.1", port: 9000),
            workerCount: 1, registryPath: "", documentsDirectory: "", defaultDocument: "", logLevel: .info)
        configuration.additionalTenantIDs = ["9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"]
        configuration.usesAppSigningKeys = true
        configuration.signingKeyCacheDirectory = "/var/cache/keys"

        let keys = TenantSigningKeys(configuration: configuration, logger: Logger(label: "keys", sink: .capture()))
        let policy = TokenPolicy(configuration: configuration)

        let home = keys.providers[TestTenant.tenantID]
        #expect(
            home?.metadataURL == "https://127.0.0.1:8443/\(TestTenant.tenantID)/v2.0/.well-known/openid-configuration?appid=\(TestTenant.clientID)")
        #expect(home?.client.options.caFile == "/tmp/ca.pem")
        #expect(home?.cache?.path == "/var/cache/keys/jwks-\(TestTenant.tenantID).json")
        let other = keys.providers["9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"]
        #expect(other?.metadataURL.hasPrefix("https://127.0.0.1:8443/9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a/v2.0/") == true)
        #expect(keys.providers.count == 2)
        #expect(policy.audiences == [TestTenant.clientID, "api://\(TestTenant.clientID)"])
        #expect(policy.acceptsTenant("9F8E7D6C-5B4A-4392-8170-6F5E4D3C2B1A"))
        #expect(policy.clockLeeway == 60)
        #expect(policy.maxTokenBytes == 16384)
    }
}
