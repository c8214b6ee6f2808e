import Foundation

/// nginx with TLS in front of the real responder, and the development identity's metadata served over
/// TLS, started once per test process by `deploy/local/devstack` and stopped when the process exits.
final class LocalStack: Sendable {
    /// HTTPS port of the API; the identity is on the next port, the HTTP redirect on the one after.
    static let httpsPort = 18443

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
        baseURL = "https://localhost:\(Self.httpsPort)"
        client = CurlClient(caFile: state.appendingPathComponent("tls/ca.pem").path)

        let devstack = repository.appendingPathComponent("deploy/local/devstack").path
        let binary = repository.appendingPathComponent(".build/debug/processo-api").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestFailure("No responder binary at \(binary): run `swift build` (make test does) first.")
        }
        try Command.run(devstack, ["up", state.path, String(Self.httpsPort)], environment: ["PROCESSO_API_BIN": binary])
        environment = try Self.readEnvironment(at: state.appendingPathComponent("env"))

        let statePath = state.path
        let stopScript = devstack
        Self.stopAtExit = { _ = try? Command.run(stopScript, ["down", statePath]) }
        atexit { LocalStack.stopAtExit?() }
    }

    nonisolated(unsafe) private static var stopAtExit: (() -> Void)?

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
