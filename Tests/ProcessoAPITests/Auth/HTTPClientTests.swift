import Foundation
import Testing

@testable import ProcessoAPI

/// The libcurl client against real local servers on 127.0.0.1, with CAs made for each test.
@Suite(.serialized) struct HTTPClientTests {
    /// A folder of files to serve, a CA and an HTTPS server for it; removed by `close()`.
    final class Setup {
        let folder: URL
        let authority: TestCertificateAuthority
        let server: LocalHTTPSServer

        init(files: [String: [UInt8]] = [:]) throws {
            folder = try TemporaryDirectory.make(prefix: "http")
            let root = folder.appendingPathComponent("root")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            for (name, contents) in files {
                try Data(contents).write(to: root.appendingPathComponent(name))
            }
            authority = try TestCertificateAuthority(name: "http")
            server = try LocalHTTPSServer(root: root, authority: authority)
        }

        func close() {
            server.stop()
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: authority.directory)
        }
    }

    @Test func fetchWithCAFileSucceeds() throws {
        let setup = try Setup(files: ["keys.json": Array(#"{"keys":[]}"#.utf8)])
        defer { setup.close() }
        let client = HTTPClient(options: .init(caFile: setup.authority.certificatePath))

        let body = try client.fetch(setup.server.baseURL + "/keys.json")

        #expect(body == Array(#"{"keys":[]}"#.utf8))
    }

    @Test func fetchWithoutCAFileFailsVerification() throws {
        let setup = try Setup(files: ["keys.json": Array("{}".utf8)])
        defer { setup.close() }

        let error = #expect(throws: HTTPClientError.self) { try HTTPClient().fetch(setup.server.baseURL + "/keys.json") }
        #expect(error?.reason == .transferFailed)
        // CURLE_PEER_FAILED_VERIFICATION: the certificate chain does not lead to a trusted CA.
        #expect(error?.curlCode == 60)
    }

    /// Setting `CURLOPT_CAINFO` replaces libcurl's default bundle, but the CA directory must stay
    /// trusted. A second CA, present only in a hashed directory like /etc/ssl/certs, plays the system store.
    @Test func caFileKeepsCADirectoryTrusted() throws {
        let setup = try Setup(files: ["a.json": Array("{}".utf8)])
        defer { setup.close() }
        let systemAuthority = try TestCertificateAuthority(name: "system")
        defer { try? FileManager.default.removeItem(at: systemAuthority.directory) }
        let systemServer = try LocalHTTPSServer(root: setup.server.root, authority: systemAuthority)
        defer { systemServer.stop() }
        let hashedDirectory = try systemAuthority.makeHashedDirectory()

        let client = HTTPClient(options: .init(caFile: setup.authority.certificatePath, caDirectory: hashedDirectory))
        let withoutDirectory = HTTPClient(options: .init(caFile: setup.authority.certificatePath, caDirectory: nil))

        #expect(try client.fetch(setup.server.baseURL + "/a.json") == Array("{}".utf8))
        #expect(try client.fetch(systemServer.baseURL + "/a.json") == Array("{}".utf8))
        let error = #expect(throws: HTTPClientError.self) { try withoutDirectory.fetch(systemServer.baseURL + "/a.json") }
        #expect(error?.curlCode == 60)
    }

    @Test func defaultTrustStoreIsSystemDirectory() {
        #expect(HTTPClient.Options().caDirectory == "/etc/ssl/certs")
    }

    @Test func responseOverCapIsAborted() throws {
        let large = [UInt8](repeating: UInt8(ascii: "x"), count: 200_000)
        let setup = try Setup(files: ["large.json": large, "small.json": Array("{}".utf8)])
        defer { setup.close() }
        let client = HTTPClient(options: .init(caFile: setup.authority.certificatePath, maxResponseBytes: 64 * 1024))

        // The server announces the length of a static file, and streams the /unsized/ one without it.
        for path in ["/large.json", "/unsized/large.json"] {
            let error = #expect(throws: HTTPClientError.self, "\(path)") { try client.fetch(setup.server.baseURL + path) }
            #expect(error?.reason == .responseTooLarge, "\(path)")
        }
        #expect(try client.fetch(setup.server.baseURL + "/unsized/small.json") == Array("{}".utf8))
    }

    @Test func unexpectedStatusIsReported() throws {
        let setup = try Setup()
        defer { setup.close() }
        let client = HTTPClient(options: .init(caFile: setup.authority.certificatePath))

        let error = #expect(throws: HTTPClientError.self) { try client.fetch(setup.server.baseURL + "/missing.json") }
        #expect(error?.reason == .unexpectedStatus(404))
        #expect(try client.get(setup.server.baseURL + "/missing.json").status == 404)
    }

    @Test func requestHeadersAreSentAndResponseHeadersKept() throws {
        let setup = try Setup()
        defer { setup.close() }
        let client = HTTPClient(options: .init(caFile: setup.authority.certificatePath))

        let response = try client.get(setup.server.baseURL + "/echo-authorization", headers: [(name: "Authorization", value: "Bearer a.b.c")])

        #expect(response.status == 200)
        #expect(response.body == Array("Bearer a.b.c".utf8))
        #expect(response.header("content-length") == "12")
    }

    @Test func headRequestHasNoBody() throws {
        let setup = try Setup(files: ["keys.json": Array(#"{"keys":[]}"#.utf8)])
        defer { setup.close() }
        let client = HTTPClient(options: .init(caFile: setup.authority.certificatePath))

        let response = try client.send(method: "HEAD", url: setup.server.baseURL + "/keys.json")

        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(response.header("Content-Length") == "11")
    }

    @Test func plainHTTPIsAllowedOnLoopback() throws {
        let folder = try TemporaryDirectory.make(prefix: "plain")
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = folder.appendingPathComponent("root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: root.appendingPathComponent("a.json"))
        let server = try LocalHTTPSServer(root: root, authority: nil)
        defer { server.stop() }

        #expect(try HTTPClient().fetch("http://127.0.0.1:\(server.port)/a.json") == Array("{}".utf8))
        #expect(try HTTPClient().fetch("http://localhost:\(server.port)/a.json") == Array("{}".utf8))
    }

    struct RejectedURL: CustomTestStringConvertible, Sendable {
        let url: String
        let reason: HTTPClientError.Reason
        var testDescription: String { url }
    }

    /// None of these is contacted: each is rejected before any connection. `.invalid` names never resolve.
    static let rejectedURLs: [RejectedURL] = [
        RejectedURL(url: "http://processo-api.invalid/keys", reason: .insecureURL),
        RejectedURL(url: "http://127.0.0.1.processo-api.invalid/keys", reason: .insecureURL),
        RejectedURL(url: "http://127.0.0.1@processo-api.invalid/keys", reason: .insecureURL),
        RejectedURL(url: "ftp://127.0.0.1/keys", reason: .insecureURL),
        RejectedURL(url: "file:///etc/hostname", reason: .invalidURL),
        RejectedURL(url: "not a url", reason: .invalidURL),
    ]

    @Test(arguments: rejectedURLs)
    func insecureOrInvalidURLIsRejected(_ testCase: RejectedURL) {
        let error = #expect(throws: HTTPClientError.self, "\(testCase.url)") { try HTTPClient().get(testCase.url) }
        #expect(error?.reason == testCase.reason, "\(testCase.url)")
    }

    @Test func headerWithLineBreakIsRejected() {
        let error = #expect(throws: HTTPClientError.self) {
            try HTTPClient().get("https://127.0.0.1:1/", headers: [(name: "Authorization", value: "Bearer x\r\nX-Injected: 1")])
        }
        #expect(error?.reason == .invalidHeader)
    }

    @Test func methodWithLineBreakIsRejected() {
        let error = #expect(throws: HTTPClientError.self) { try HTTPClient().send(method: "GET /x HTTP/1.1\r\n", url: "https://127.0.0.1:1/") }
        #expect(error?.reason == .invalidMethod)
    }

    @Test func refusedConnectionFailsTransfer() throws {
        let setup = try Setup()
        let port = setup.server.port
        setup.close()

        let error = #expect(throws: HTTPClientError.self) { try HTTPClient().get("https://127.0.0.1:\(port)/") }
        #expect(error?.reason == .transferFailed)
        // CURLE_COULDNT_CONNECT.
        #expect(error?.curlCode == 7)
    }
}
