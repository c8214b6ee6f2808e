import CFastCGI
import ProcessoAPI

/// Writes a core `Response` as a FastCGI responder's CGI-style output: `Status:`, headers, blank line, body.
///
/// libfcgi splits the output into records of at most 64 KiB itself, so bodies of any size go out whole.
struct FastCGIResponseWriter {
    let stream: UnsafeMutablePointer<FCGX_Stream>?

    /// Returns `false` when the web server closed the connection before everything was written.
    func write(_ response: Response) -> Bool {
        var head = "Status: \(response.status.code) \(response.status.reasonPhrase)\r\n"
        head += "Content-Type: \(Response.contentType)\r\n"
        head += "Content-Length: \(response.contentLength)\r\n"
        for header in response.headers {
            head += header.name + ": " + header.value + "\r\n"
        }
        head += "\r\n"

        var written = head.withCString { put($0, count: strlen($0)) }
        if written && !response.body.isEmpty {
            written = response.body.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { put($0.baseAddress!, count: $0.count) }
            }
        }
        return written
    }

    private func put(_ bytes: UnsafePointer<CChar>, count: Int) -> Bool {
        var offset = 0
        while offset < count {
            let chunk = Int32(min(count - offset, Int(Int32.max)))
            let result = FCGX_PutStr(bytes + offset, chunk, stream)
            guard result == chunk else { return false }
            offset += Int(chunk)
        }
        return true
    }
}
