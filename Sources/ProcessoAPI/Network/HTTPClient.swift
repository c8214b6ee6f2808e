import CCurl

/// A small blocking HTTP client on libcurl, for fetching signing keys and for tests that call the service.
///
/// TLS certificates and host names are always verified. Plain `http` is accepted only for loopback
/// hosts. Redirects are not followed. Each request uses its own libcurl handle, so one client may be
/// used from any number of threads.
public struct HTTPClient: Sendable {
    /// Debian's directory of hashed CA certificates, which `update-ca-certificates` maintains.
    public static let systemCADirectory = "/etc/ssl/certs"

    public struct Options: Sendable, Equatable {
        /// An extra PEM file of trusted CA certificates, such as a local development CA.
        public var caFile: String?
        /// A directory of hashed CA certificates that stays trusted when `caFile` is set. Setting
        /// `CURLOPT_CAINFO` replaces libcurl's default bundle, so the system store is kept through
        /// `CURLOPT_CAPATH` instead. Unused when `caFile` is nil, where libcurl's defaults apply.
        public var caDirectory: String?
        /// The time allowed to connect, TLS handshake included.
        public var connectTimeout: Duration
        /// The time allowed for the whole request.
        public var totalTimeout: Duration
        /// The largest response body accepted; the transfer is aborted past it.
        public var maxResponseBytes: Int

        public init(
            caFile: String? = nil, caDirectory: String? = HTTPClient.systemCADirectory, connectTimeout: Duration = .seconds(5),
            totalTimeout: Duration = .seconds(20), maxResponseBytes: Int = 1 << 20
        ) {
            self.caFile = caFile
            self.caDirectory = caDirectory
            self.connectTimeout = connectTimeout
            self.totalTimeout = totalTimeout
            self.maxResponseBytes = maxResponseBytes
        }
    }

    public let options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Sends a GET request and returns the response, whatever its status.
    ///
    /// - Parameter headers: Extra request headers, such as `Authorization`.
    public func get(_ url: String, headers: [(name: String, value: String)] = []) throws(HTTPClientError) -> HTTPResponse {
        try send(method: "GET", url: url, headers: headers)
    }

    /// Sends a GET request and returns the body of a `200 OK` response; any other status throws.
    public func fetch(_ url: String) throws(HTTPClientError) -> [UInt8] {
        let response = try get(url)
        guard response.status == 200 else {
            throw HTTPClientError(.unexpectedStatus(response.status), url: url, message: "the server returned HTTP \(response.status), expected 200")
        }
        return response.body
    }

    /// Sends a request without a body and returns the response, whatever its status. `HEAD` requests
    /// no body, and other methods than `GET` are sent as given.
    public func send(method: String, url: String, headers: [(name: String, value: String)] = []) throws(HTTPClientError)
        -> HTTPResponse
    {
        guard Self.globalInitCode == CURLE_OK else {
            throw HTTPClientError.curl(.setupFailed, url: url, code: Self.globalInitCode, detail: "curl_global_init failed")
        }
        let parsedURL = try CurlURL(url)
        let transfer = try CurlTransfer(url: parsedURL, maxResponseBytes: options.maxResponseBytes)

        try transfer.set(CURLOPT_PROTOCOLS_STR, parsedURL.scheme)
        try transfer.set(CURLOPT_NOSIGNAL, 1)
        try transfer.set(CURLOPT_SSL_VERIFYPEER, 1)
        try transfer.set(CURLOPT_SSL_VERIFYHOST, 2)
        try transfer.set(CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2)
        if let caFile = options.caFile {
            try transfer.set(CURLOPT_CAINFO, caFile)
            if let caDirectory = options.caDirectory {
                try transfer.set(CURLOPT_CAPATH, caDirectory)
            }
        }
        try transfer.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(options.connectTimeout))
        try transfer.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(options.totalTimeout))
        // Stops early when the server announces a larger body; the body callback enforces the cap otherwise.
        try transfer.set(CURLOPT_MAXFILESIZE, options.maxResponseBytes)

        guard !method.isEmpty, method.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw HTTPClientError(.invalidMethod, url: url, message: "the request method \(method) is not an HTTP method name")
        }
        switch method {
        case "GET": break
        case "HEAD": try transfer.set(CURLOPT_NOBODY, 1)
        default: try transfer.set(CURLOPT_CUSTOMREQUEST, method)
        }
        for header in headers {
            try transfer.appendHeader(try Self.headerLine(header, url: url))
        }

        return try transfer.perform()
    }

    /// libcurl must be initialized once per process before any thread uses it. A static `let` runs
    /// `curl_global_init` exactly once, on first use, under Swift's lazy-initialization lock.
    private static let globalInitCode: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    /// Builds `Name: value`, rejecting line breaks that would inject other headers.
    private static func headerLine(_ header: (name: String, value: String), url: String) throws(HTTPClientError) -> String {
        let isToken = !header.name.isEmpty && header.name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) }
        guard isToken, !header.value.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw HTTPClientError(.invalidHeader, url: url, message: "the request header \(header.name) has an invalid name or value")
        }
        return header.name + ": " + header.value
    }
}
