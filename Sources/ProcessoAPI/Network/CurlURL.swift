import CCurl

/// A URL parsed by libcurl's own parser (`CURLU`), and the rule on which schemes it may use.
///
/// The transfer is given this same parsed handle (`CURLOPT_CURLU`), so the host checked here is the host
/// libcurl connects to. A second parser could read a tricky URL differently.
final class CurlURL {
    let handle: OpaquePointer
    /// The URL as the caller wrote it, for error messages.
    let text: String
    let scheme: String
    let host: String

    /// Hosts that plain `http` may reach: the loopback addresses, used by tests and local development.
    static let loopbackHosts: Set<String> = ["127.0.0.1", "::1", "[::1]", "localhost"]

    init(_ text: String) throws(HTTPClientError) {
        guard let handle = curl_url() else {
            throw HTTPClientError(.setupFailed, url: text, message: "curl_url could not allocate a URL handle")
        }
        // Until every property is set, a throw skips deinit, so the handle is freed here instead.
        var ownsHandle = true
        defer { if ownsHandle { curl_url_cleanup(handle) } }

        let setResult = curl_url_set(handle, CURLUPART_URL, text, 0)
        guard setResult == CURLUE_OK else {
            throw HTTPClientError(
                .invalidURL, url: text, curlCode: Int32(setResult.rawValue), message: String(cString: curl_url_strerror(setResult)))
        }

        guard let scheme = Self.part(CURLUPART_SCHEME, of: handle)?.lowercased(),
            let host = Self.part(CURLUPART_HOST, of: handle)?.lowercased()
        else {
            throw HTTPClientError(.invalidURL, url: text, message: "the URL has no scheme or host")
        }
        guard scheme == "https" || (scheme == "http" && Self.loopbackHosts.contains(host)) else {
            throw HTTPClientError(.insecureURL, url: text, message: "only https URLs are allowed, and http only for 127.0.0.1, ::1 or localhost")
        }

        self.handle = handle
        self.text = text
        self.scheme = scheme
        self.host = host
        ownsHandle = false
    }

    deinit {
        curl_url_cleanup(handle)
    }

    private static func part(_ part: CURLUPart, of handle: OpaquePointer) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard curl_url_get(handle, part, &value, 0) == CURLUE_OK, let value else { return nil }
        defer { curl_free(value) }
        return String(cString: value)
    }
}
