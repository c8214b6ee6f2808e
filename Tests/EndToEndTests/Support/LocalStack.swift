import Foundation

/// nginx with TLS in front of the real responder, and the development identity's metadata served over
/// TLS, started once per test process by `deploy/local/devstack` and stopped when the process exits.
final class LocalStack: Sendable {
    /// HTTPS port of the API; the identity is on the next port, the HTTP redirect on the one after.
    let httpsPort: Int

    let repository: URL
    let state: URL
    let baseURL: String
    let client: CurlClient
    let environment: [String: String]

    /// The stack all end-to-end tests share. Starting it takes a few seconds, so it is started once.
    static let shared: Result<LocalStack, TestFailure> = {
        do {
            return .success(try LocalStack())
        } catch let failure as TestFailure {
            return .failure(failure)
        } catch {
            return .failure(TestFailure("\(error)"))
        }
    }()

    static func start() throws -> LocalStack {
        try shared.get()
    }

    private init() throws {
        repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        state = FileManager.default.temporaryDirectory.appendingPathComponent("processo-api-e2e-\(getpid())")
        httpsPort = try Self.freePorts()
        baseURL = "https://localhost:\(httpsPort)"
        client = CurlClient(caFile: state.appendingPathComponent("tls/ca.pem").path)

        let devstack = repository.appendingPathComponent("deploy/local/devstack").path
        let binary = repository.appendingPathComponent(".build/debug/processo-api").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestFailure("No responder binary at \(binary): run `swift build` (make test does) first.")
        }
        try Command.run(devstack, ["up", state.path, String(httpsPort)], environment: ["PROCESSO_API_BIN": binary])
        environment = try Self.readEnvironment(at: state.appendingPathComponent("env"))

        let statePath = state.path
        let stopScript = devstack
        Self.stopAtExit = { _ = try? Command.run(stopScript, ["down", statePath]) }
        atexit { LocalStack.stopAtExit?() }
    }

    nonisolated(unsafe) private static var stopAtExit: (() -> Void)?

    /// Finds three consecutive free loopback ports, so that test runs on one machine do not collide.
    /// `PROCESSO_API_E2E_HTTPS_PORT` fixes the first one instead.
    private static func freePorts() throws -> Int {
        if let fixed = ProcessInfo.processInfo.environment["PROCESSO_API_E2E_HTTPS_PORT"].flatMap(Int.init) {
            return fixed
        }
        for _ in 0..<50 {
            let candidate = Int.random(in: 20000...40000)
            if (0..<3).allSatisfy({ isFree(port: candidate + $0) }) {
                return candidate
            }
        }
        throw TestFailure("No three consecutive free ports were found between 20000 and 40002 on 127.0.0.1.")
    }

    /// Returns a free loopback port for a test's own server.
    static func freePort() throws -> Int {
        for _ in 0..<50 {
            let candidate = Int.random(in: 40003...60000)
            if isFree(port: candidate) { return candidate }
        }
        throw TestFailure("No free port was found between 40003 and 60000 on 127.0.0.1.")
    }

    /// Returns whether nothing listens on `port` of 127.0.0.1, judged by binding it.
    static func isFree(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    func url(_ pathAndQuery: String) -> String {
        baseURL + pathAndQuery
    }

    /// Path of a file under the stack's state folder, such as `pdfs/processo.pdf`.
    func path(_ relative: String) -> String {
        state.appendingPathComponent(relative).path
    }

    private static func readEnvironment(at file: URL) throws -> [String: String] {
        var values: [String: String] = [:]
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return values
    }
}
