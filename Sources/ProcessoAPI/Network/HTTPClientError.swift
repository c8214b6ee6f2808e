import CCurl

/// A failed HTTP request: what went wrong, on which URL, and libcurl's code when libcurl reported it.
public struct HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// libcurl could not parse the URL.
        case invalidURL
        /// The URL is not `https`, and plain `http` is allowed only for loopback hosts.
        case insecureURL
        /// A request header name or value contains a line break or is otherwise unusable.
        case invalidHeader
        /// The request method is not an HTTP token of ASCII letters, such as `GET`.
        case invalidMethod
        /// libcurl could not be set up for the request.
        case setupFailed
        /// The transfer failed: connection, TLS verification, timeout and the like. See `curlCode`.
        case transferFailed
        /// The body grew past the client's `maxResponseBytes`, so the transfer was aborted.
        case responseTooLarge
        /// The server returned a status other than the one expected.
        case unexpectedStatus(Int)
    }

    public var reason: Reason
    public var url: String
    /// libcurl's `CURLcode` or `CURLUcode` value, when the failure came from libcurl.
    public var curlCode: Int32?
    public var message: String

    public init(_ reason: Reason, url: String, curlCode: Int32? = nil, message: String) {
        self.reason = reason
        self.url = url
        self.curlCode = curlCode
        self.message = message
    }

    public var description: String {
        var text = "HTTP request to \(url) failed: \(message)"
        if let curlCode { text += " (curl code \(curlCode))" }
        return text
    }

    /// Describes a failed libcurl call with libcurl's text and, when set, the transfer's error buffer.
    static func curl(_ reason: Reason, url: String, code: CURLcode, detail: String = "") -> HTTPClientError {
        let summary = String(cString: curl_easy_strerror(code))
        let message = detail.isEmpty ? summary : "\(summary): \(detail)"
        return HTTPClientError(reason, url: url, curlCode: Int32(code.rawValue), message: message)
    }
}
