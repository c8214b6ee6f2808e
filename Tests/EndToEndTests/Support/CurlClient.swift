import Foundation

/// An HTTP response as a client receives it.
struct HTTPResponse {
    let status: Int
    /// Header names in lower case; the last value wins.
    let headers: [String: String]
    let body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    /// Decodes the body as a JSON object, failing the test's `try` when it is anything else.
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw TestFailure("The body is not a JSON object: \(text.prefix(200))")
        }
        return object
    }
}

/// Sends requests with the `curl` command line tool, the way an operator would, over real TLS and HTTP/2.
struct CurlClient {
    let caFile: String

    func get(
        _ url: String, bearer token: String? = nil, method: String = "GET", headers: [String] = [], http2: Bool = true
    ) throws -> HTTPResponse {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let headerFile = folder.appendingPathComponent("headers").path
        let bodyFile = folder.appendingPathComponent("body").path

        var arguments = ["-sS", "--cacert", caFile, "-D", headerFile, "-o", bodyFile, "-w", "%{http_code}"]
        arguments.append(http2 ? "--http2" : "--http1.1")
        if method == "HEAD" {
            // With --head curl writes the headers where the body would go; no body is ever read.
            arguments.append("--head")
        } else if method != "GET" {
            arguments += ["-X", method]
        }
        if let token {
            arguments += ["-H", "Authorization: Bearer \(token)"]
        }
        for header in headers {
            arguments += ["-H", header]
        }
        arguments.append(url)

        let output = try Command.run("/usr/bin/curl", arguments)
        guard let status = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestFailure("curl printed no status for \(url): \(output)")
        }
        let body = method == "HEAD" ? Data() : (try? Data(contentsOf: URL(fileURLWithPath: bodyFile))) ?? Data()
        return HTTPResponse(status: status, headers: try Self.parseHeaders(at: headerFile), body: body)
    }

    private static func parseHeaders(at path: String) throws -> [String: String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var headers: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return headers
    }
}
