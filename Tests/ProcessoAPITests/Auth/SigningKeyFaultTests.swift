import DevelopmentIdentity
import Foundation
import Testing

@testable import ProcessoAPI

/// The key provider when the metadata server misbehaves: down at start, down later, rotating keys,
/// serving garbage, flooded with unknown `kid`s, and restarted during an outage with a cache file.
@Suite(.serialized) struct SigningKeyFaultTests {
    static let otherTenantID = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"

    static func bearer(_ identity: DevelopmentIdentity, tenantID: String = TestTenant.tenantID) throws -> String {
        var claims = TestTenant.userClaims()
        claims["tid"] = .string(tenantID)
        claims["iss"] = .string(TokenPolicy.issuerV2(tenantID: tenantID))
        return "Bearer " + (try identity.mintToken(claims: claims))
    }

    static func authenticator(_ keys: any SigningKeySource, sink: LogSink, policy: TokenPolicy = TestTenant.policy) -> BearerAuthenticator {
        BearerAuthenticator(policy: policy, keySource: keys, logger: Logger(label: "auth", sink: sink), clock: { TestTenant.now })
    }

    /// Advances past the unknown-kid interval and reports a new `kid`, which makes the provider refetch.
    static func forceRefetch(_ provider: SigningKeyProvider, clock: TestClock) {
        clock.advance(seconds: 301)
        #expect(provider.keyIDNotFound("force-\(UUID().uuidString)", tenantID: TestTenant.tenantID) == .refetching)
    }

    static let hourlySchedule = SigningKeyProvider.Schedule(
        refreshInterval: .seconds(3600), unknownKeyRefetchInterval: .seconds(300), initialRetryDelay: .milliseconds(50),
        maxRetryDelay: .milliseconds(200))

    @Test func downAtStartThenServes() throws {
        let identity = try TestTenant.identity()
        let tenant = try LocalTenant(identity: identity)
        defer { tenant.close() }
        try tenant.respond(withStatus: 503)
        let provider = tenant.provider()
        defer { provider.stop() }
        let authenticator = Self.authenticator(provider, sink: tenant.sink)

        provider.start()
        #expect(eventually { tenant.sink.capturedLines.filter { $0.contains("signing key fetch failed") }.count >= 2 })
        let readiness = provider.readiness()
        #expect(readiness.isReady == false)
        #expect(readiness.signingKeys.first?.keyCount == 0)
        #expect(readiness.signingKeys.first?.lastError?.contains("HTTP 503") == true)
        let error = #expect(throws: AuthError.self) { try authenticator.authenticate(authorization: Self.bearer(identity), requestID: "r1") }
        #expect(error?.kind == .keysUnavailable)

        try tenant.respond(withStatus: nil)

        #expect(provider.waitUntilReady(timeout: .seconds(3)))
        _ = try authenticator.authenticate(authorization: Self.bearer(identity), requestID: "r2")
        #expect(provider.readiness().signingKeys.first?.lastError == nil)
    }

    @Test func outageKeepsKeysFor24Hours() throws {
        let identity = try TestTenant.identity()
        let tenant = try LocalTenant(identity: identity)
        defer { tenant.close() }
        let clock = TestClock()
        let provider = tenant.provider(schedule: Self.hourlySchedule, clock: clock)
        defer { provider.stop() }
        let authenticator = Self.authenticator(provider, sink: tenant.sink)
        provider.start()
        #expect(provider.waitUntilReady(timeout: .seconds(3)))

        try tenant.respond(withStatus: 503)
        Self.forceRefetch(provider, clock: clock)
        #expect(eventually { tenant.sink.capturedLines.contains { $0.contains("keeping the previous keys") } })
        clock.advance(seconds: 23 * 3600)

        _ = try authenticator.authenticate(authorization: Self.bearer(identity), requestID: "r1")
        let state = try #require(provider.readiness().signingKeys.first)
        #expect(state.keyCount == 1)
        #expect(state.lastFetchAgeSeconds == 23 * 3600 + 301)
        #expect(state.lastError?.contains("HTTP 503") == true)
        #expect(provider.readiness().isReady)

        clock.advance(seconds: 3600)

        let error = #expect(throws: AuthError.self) { try authenticator.authenticate(authorization: Self.bearer(identity), requestID: "r2") }
        #expect(error?.kind == .keysUnavailable)
        #expect(provider.readiness().isReady == false)
        #expect(provider.readiness().detail.contains("older than 24 hours"))
    }

    @Test func rotationAddsAndDropsKeys() throws {
        let identity = try TestTenant.identity()
        let rotated = try DevelopmentIdentity.generate()
        let tenant = try LocalTenant(identity: identity)
        defer { tenant.close() }
        let clock = TestClock()
        let provider = tenant.provider(schedule: Self.hourlySchedule, clock: clock)
        defer { provider.stop() }
        let authenticator = Self.authenticator(provider, sink: tenant.sink)
        provider.start()
        #expect(provider.waitUntilReady(timeout: .seconds(3)))

        try tenant.publish(identity, rotated)
        let first = #expect(throws: AuthError.self) { try authenticator.authenticate(authorization: Self.bearer(rotated), requestID: "r1") }
        #expect(first?.reason == .unknownKeyID)
        #expect(first?.message.contains("refetching") == true)

        #expect(eventually { provider.currentKeys(tenantID: TestTenant.tenantID)?.keys.count == 2 })
        _ = try authenticator.authenticate(authorization: Self.bearer(rotated), requestID: "r2")
        #expect(tenant.jwksRequests() == 2)

        try tenant.publish(rotated)
        Self.forceRefetch(provider, clock: clock)
        #expect(eventually { provider.currentKeys(tenantID: TestTenant.tenantID)?.keys.count == 1 })

        let removed = #expect(throws: AuthError.self) { try authenticator.authenticate(authorization: Self.bearer(identity), requestID: "r3") }
        #expect(removed?.reason == .unknownKeyID)
        #expect(removed?.message.contains("not published by the tenant") == true)
        #expect(tenant.sink.capturedLines.contains { $0.contains("keys.removed=\(identity.keyID)") })
        _ = try authenticator.authenticate(authorization: Self.bearer(rotated), requestID: "r4")
    }

    struct GarbageCase: CustomTestStringConvertible, Sendable {
        let name: String
        let document: @Sendable () throws -> Data
        let logged: String
        var testDescription: String { name }
    }

    static let garbageCases: [GarbageCase] = [
        GarbageCase(name: "not JSON", document: { Data("<html>maintenance</html>".utf8) }, logged: "not valid JSON"),
        GarbageCase(name: "JSON array", document: { Data("[]".utf8) }, logged: "not a JSON object with a keys array"),
        GarbageCase(name: "no keys", document: { Data(#"{"keys":[]}"#.utf8) }, logged: "no usable RSA signing key"),
        GarbageCase(
            name: "only a short key",
            document: {
                Data(#"{"keys":[{"kty":"RSA","kid":"short","n":"\#(Base64URL.encode([UInt8](repeating: 0xC5, count: 128)))","e":"AQAB"}]}"#.utf8)
            }, logged: "fewer than 2048"),
        GarbageCase(
            name: "over the size cap",
            document: { Data(#"{"keys":[],"padding":""#.utf8) + Data(repeating: UInt8(ascii: "x"), count: 70_000) + Data(#""}"#.utf8) },
            logged: "larger than 65536 bytes"),
    ]

    @Test(arguments: garbageCases)
    func garbageKeepsGoodKeys(_ garbage: GarbageCase) throws {
        let identity = try TestTenant.identity()
        let tenant = try LocalTenant(identity: identity)
        defer { tenant.close() }
        let clock = TestClock()
        let provider = tenant.provider(schedule: Self.hourlySchedule, clock: clock, maxResponseBytes: 65536)
        defer { provider.stop() }
        let authenticator = Self.authenticator(provider, sink: tenant.sink)
        provider.start()
        #expect(provider.waitUntilReady(timeout: .seconds(3)), "\(garbage.name)")

        try tenant.writeJWKS(try garbage.document())
        Self.forceRefetch(provider, clock: clock)

        #expect(eventually { tenant.sink.capturedLines.contains { $0.contains("keeping the previous keys") } }, "\(garbage.name)")
        let warning = tenant.sink.capturedLines.first { $0.contains("keeping the previous keys") }
        #expect(warning?.contains(garbage.logged) == true, "\(garbage.name): \(warning ?? "no warning")")
        #expect(provider.currentKeys(tenantID: TestTenant.tenantID)?.keyIDs == [identity.keyID], "\(garbage.name)")
        _ = try authenticator.authenticate(authorization: Self.bearer(identity), requestID: "r1")
    }

    @Test func unknownKidFloodFetchesOncePerInterval() throws {
        let identity = try TestTenant.identity()
        let tenant = try LocalTenant(identity: identity)
        defer { tenant.close() }
        let clock = TestClock()
        let provider = tenant.provider(schedule: Self.hourlySchedule, clock: clock)
        defer { provider.stop() }
        let authenticator = Self.authenticator(provider, sink: tenant.sink)
        provider.start()
        #expect(provider.waitUntilReady(timeout: .seconds(3)))

        for index in 0..<300 {
            var header = identity.defaultHeader
            header["kid"] = .string("made-up-\(index)")
            let token = try identity.mintToken(claims: TestTenant.userClaims(), header: header)
            #expect(throws: AuthError.self) { try authenticator.authenticate(authorization: "Bearer " + token, requestID: "r\(index)") }
        }
        #expect(eventually { tenant.jwksRequests() == 2 })
        Thread.sleep(forTimeInterval: 0.3)
        #expect(tenant.jwksRequests() == 2, "more than one refetch for a flood of unknown kids")

        clock.advance(seconds: 299)
        #expect(provider.keyIDNotFound("made-up-new", tenantID: TestTenant.tenantID) == .notPublished)
        Thread.sleep(forTimeInterval: 0.2)
        #expect(tenant.jwksRequests() == 2, "a refetch ran within five minutes")

        clock.advance(seconds: 2)
        #expect(provider.keyIDNotFound("made-up-new", tenantID: TestTenant.tenantID) == .notPublished, "a remembered kid refetched")
        #expect(provider.keyIDNotFound("made-up-newer", tenantID: TestTenant.tenantID) == .refetching)
        #expect(eventually { tenant.jwksRequests() == 3 })
    }

    @Test func cacheServesRestartDuringOutage() throws {
        let identity = try TestTenant.identity()
        let tenant = try LocalTenant(identity: identity)
        defer { tenant.close() }
        let cache = SigningKeyCache(directory: tenant.folder.appendingPathComponent("cache").path, tenantID: TestTenant.tenantID)
        let clock = TestClock()
        let first = tenant.provider(cache: cache, clock: clock)
        first.start()
        #expect(first.waitUntilReady(timeout: .seconds(3)))
        first.stop()
        #expect(try cache.read()?.keys.keyIDs == [identity.keyID])

        try tenant.respond(withStatus: 503)
        clock.advance(seconds: 23 * 3600)
        let restarted = tenant.provider(cache: cache, clock: clock)
        defer { restarted.stop() }
        restarted.start()

        #expect(restarted.waitUntilReady(timeout: .seconds(3)))
        _ = try Self.authenticator(restarted, sink: tenant.sink).authenticate(authorization: Self.bearer(identity), requestID: "r1")
        let state = try #require(restarted.readiness().signingKeys.first)
        #expect(state.source == "cache")
        #expect(state.lastFetchAgeSeconds == 23 * 3600)
        #expect(tenant.sink.capturedLines.contains { $0.contains("signing keys loaded from cache") })

        clock.advance(seconds: 3601)
        let late = tenant.provider(cache: cache, clock: clock)
        defer { late.stop() }
        late.start()
        #expect(eventually { tenant.sink.capturedLines.contains { $0.contains("signing key cache too old to use") } })
        #expect(late.readiness().isReady == false)
    }

    @Test func unusableCacheIsIgnored() throws {
        let identity = try TestTenant.identity()
        let tenant = try LocalTenant(identity: identity)
        defer { tenant.close() }
        let path = tenant.folder.appendingPathComponent("jwks-cache.json")
        try Data("not a cache".utf8).write(to: path)
        try tenant.respond(withStatus: 503)
        let provider = tenant.provider(cache: SigningKeyCache(path: path.path))
        defer { provider.stop() }

        provider.start()

        #expect(eventually { tenant.sink.capturedLines.contains { $0.contains("signing key cache unusable") } })
        #expect(provider.readiness().isReady == false)
    }

    @Test func tenantsKeepTheirOwnKeys() throws {
        let home = try TestTenant.identity()
        let other = try DevelopmentIdentity.generate()
        let tenant = try LocalTenant(identity: home)
        defer { tenant.close() }
        try tenant.publish(other, tenantID: Self.otherTenantID)
        let keys = TenantSigningKeys(providers: [tenant.provider(), tenant.provider(tenantID: Self.otherTenantID)])
        defer { keys.stop() }
        var policy = TestTenant.policy
        policy.additionalTenantIDs = [Self.otherTenantID]
        let authenticator = Self.authenticator(keys, sink: tenant.sink, policy: policy)

        keys.start()
        #expect(eventually { keys.readiness().isReady })

        _ = try authenticator.authenticate(authorization: Self.bearer(home), requestID: "r1")
        _ = try authenticator.authenticate(authorization: Self.bearer(other, tenantID: Self.otherTenantID), requestID: "r2")
        let crossed = #expect(throws: AuthError.self) {
            try authenticator.authenticate(authorization: Self.bearer(home, tenantID: Self.otherTenantID), requestID: "r3")
        }
        #expect(crossed?.reason == .unknownKeyID)
        #expect(keys.readiness().signingKeys.map(\.tenantID) == [TestTenant.tenantID, Self.otherTenantID])
        #expect(keys.readiness().detail == "2 signing keys are loaded for 2 tenants.")
    }
}
