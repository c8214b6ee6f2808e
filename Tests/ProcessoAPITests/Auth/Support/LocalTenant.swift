import DevelopmentIdentity
import Foundation
import Synchronization

@testable import ProcessoAPI

/// A wall clock that tests move by hand, for key age and refetch intervals.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_900_000_000)) {
        current = Mutex(start)
    }

    func now() -> Date {
        current.withLock { $0 }
    }

    func advance(seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// Tenants served over HTTPS on 127.0.0.1: for each tenant id, an OpenID configuration at
/// `/{tenant}/v2.0/.well-known/openid-configuration` naming the JWKS `/{tenant}/jwks.json`.
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

    func metadataURL(tenantID: String = TestTenant.tenantID) -> String {
        "\(server.baseURL)/\(tenantID)/v2.0/.well-known/openid-configuration"
    }

    /// Returns the path of `tenantID`'s JWKS under `root`, as request logs show it.
    static func jwksPath(tenantID: String = TestTenant.tenantID) -> String {
        "/\(tenantID)/jwks.json"
    }

    /// Writes `tenantID`'s discovery documents so that its JWKS lists `identities`' keys, each with the
    /// extra members in `keyMembers`.
    func publish(_ identities: DevelopmentIdentity..., tenantID: String = TestTenant.tenantID, keyMembers: [String: JSONValue] = [:]) throws {
        let keys = identities.map { identity in JSONValue.object(identity.publicJWK.merging(keyMembers) { _, extra in extra }) }
        try writeJWKS(JSONEncoder().encode(["keys": JSONValue.array(keys)]), tenantID: tenantID)
        let metadata: [String: JSONValue] = [
            "issuer": .string(TokenPolicy.issuerV2(tenantID: tenantID)), "jwks_uri": .string(server.baseURL + Self.jwksPath(tenantID: tenantID)),
        ]
        let metadataFile = root.appendingPathComponent("\(tenantID)/v2.0/.well-known/openid-configuration")
        try FileManager.default.createDirectory(at: metadataFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONEncoder().encode(metadata).write(to: metadataFile, options: .atomic)
    }

    /// Replaces `tenantID`'s JWKS with any bytes, JSON or not.
    func writeJWKS(_ contents: Data, tenantID: String = TestTenant.tenantID) throws {
        let file = root.appendingPathComponent(Self.jwksPath(tenantID: tenantID))
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: file, options: .atomic)
    }

    /// Makes every request get `status` (such as 503), or serves files again when `status` is nil.
    func respond(withStatus status: Int?) throws {
        let file = root.appendingPathComponent(".status")
        if let status {
            try Data(String(status).utf8).write(to: file, options: .atomic)
        } else {
            try? FileManager.default.removeItem(at: file)
        }
    }

    func provider(
        tenantID: String = TestTenant.tenantID, schedule: SigningKeyProvider.Schedule = SigningKeyProviderTests.fastSchedule,
        cache: SigningKeyCache? = nil, clock: TestClock? = nil, maxResponseBytes: Int = 1 << 20
    ) -> SigningKeyProvider {
        let client = HTTPClient(
            options: .init(
                caFile: authority.certificatePath, connectTimeout: .seconds(1), totalTimeout: .seconds(2), maxResponseBytes: maxResponseBytes))
        var now: @Sendable () -> Date = { Date() }
        if let clock {
            now = { clock.now() }
        }
        return SigningKeyProvider(
            tenantID: tenantID, metadataURL: metadataURL(tenantID: tenantID), client: client, logger: Logger(label: "keys", sink: sink),
            schedule: schedule, cache: cache, clock: now)
    }

    func jwksRequests(tenantID: String = TestTenant.tenantID) -> Int {
        server.requestCount(path: Self.jwksPath(tenantID: tenantID))
    }

    func close() {
        server.stop()
        try? FileManager.default.removeItem(at: folder)
        try? FileManager.default.removeItem(at: authority.directory)
    }
}

/// Polls `condition` every 20 ms until it is true or `timeout` passes.
func eventually(timeout: Duration = .seconds(3), _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else { return false }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return true
}
