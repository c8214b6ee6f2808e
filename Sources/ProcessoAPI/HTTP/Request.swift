/// An HTTP request as the core sees it, independent of the transport that delivered it.
public struct Request: Sendable {
    /// The method in upper case, as sent (`GET`, `HEAD`, …).
    public var method: String
    /// The decoded path without the query string, for example `/getprocessnumber`.
    public var path: String
    /// The query string exactly as received, not yet decoded.
    public var rawQuery: String
    /// The `Authorization` header value, if the client sent one.
    public var authorization: String?
    /// The id that ties log lines to this request: the proxy's `X-Request-Id`, or one made here.
    public var requestID: String

    public init(method: String, path: String, rawQuery: String = "", authorization: String? = nil, requestID: String) {
        self.method = method
        self.path = path
        self.rawQuery = rawQuery
        self.authorization = authorization
        self.requestID = requestID
    }
}
