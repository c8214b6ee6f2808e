import Foundation

/// A static file server on 127.0.0.1, HTTPS with a test CA's certificate or plain HTTP, run as a
/// `python3` child process. Besides the files under `root`, it serves two test paths:
/// `/unsized/NAME` sends the file NAME without `Content-Length`, and `/echo-authorization` returns the
/// request's `Authorization` header. While `root/.status` contains a status code such as 503, every
/// request gets that status instead. Every request is logged to `logPath`, one line each.
final class LocalHTTPSServer {
    let root: URL
    let port: Int
    /// `https` or `http`.
    let scheme: String
    let logPath: String
    private let process: Process

    /// Starts the server and waits until it listens.
    ///
    /// - Parameters:
    ///   - authority: Whose server certificate to use; nil serves plain HTTP.
    ///   - port: The port to bind, or 0 for any free port.
    init(root: URL, authority: TestCertificateAuthority?, port: Int = 0) throws {
        let script = root.deletingLastPathComponent().appendingPathComponent("server-\(UUID().uuidString).py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        let logPath = root.deletingLastPathComponent().appendingPathComponent("requests-\(UUID().uuidString).log").path
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
            throw ServerError(message: "The request log \(logPath) could not be created.")
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", script.path, root.path, String(port), authority?.serverCertificatePath ?? "", authority?.serverKeyPath ?? "",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()

        // The script prints the bound port once it listens; EOF instead means it failed to start.
        let firstLine = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard let boundPort = Int(firstLine.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            process.waitUntilExit()
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw ServerError(message: "The test server did not start: \(log)")
        }

        self.root = root
        self.port = boundPort
        self.scheme = authority == nil ? "http" : "https"
        self.logPath = logPath
        self.process = process
    }

    deinit {
        stop()
    }

    var baseURL: String {
        "\(scheme)://127.0.0.1:\(port)"
    }

    /// Stops the server process and waits for it to exit, killing it if SIGTERM is not enough within 2 s.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(2)
        while process.isRunning, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }

    /// Counts the `GET` requests for exactly `path` in the server's request log.
    func requestCount(path: String) -> Int {
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return log.split(separator: "\n").filter { $0.contains("\"GET \(path) HTTP/") }.count
    }

    struct ServerError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    private static let script = """
        import http.server, os, signal, ssl, sys, threading, time

        # Foundation's Process starts children with the test runner's blocked signals, SIGTERM included.
        signal.pthread_sigmask(signal.SIG_SETMASK, set())

        # Exit with the test runner even when it ends without stopping this server: the parent process id
        # changes once the runner is gone.
        parent = os.getppid()

        def exit_with_parent():
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(0)

        threading.Thread(target=exit_with_parent, daemon=True).start()

        root, port, certificate, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=root, **kwargs)

            def do_GET(self):
                status_file = os.path.join(root, ".status")
                if os.path.exists(status_file):
                    with open(status_file) as file:
                        self.send_error(int(file.read().strip()))
                elif self.path == "/echo-authorization":
                    body = (self.headers.get("Authorization") or "").encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                elif self.path.startswith("/unsized/"):
                    with open(os.path.join(root, self.path[len("/unsized/"):]), "rb") as file:
                        body = file.read()
                    self.send_response(200)
                    self.end_headers()
                    self.wfile.write(body)
                else:
                    super().do_GET()

        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        if certificate:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(certificate, key)
            server.socket = context.wrap_socket(server.socket, server_side=True)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """
}
