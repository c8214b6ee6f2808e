/// A failure to fetch the tenant's signing keys.
public struct SigningKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The OpenID configuration could not be fetched.
        case metadataUnavailable
        /// The OpenID configuration is not a JSON object with a string `jwks_uri`.
        case invalidMetadata
        /// The JWKS document could not be fetched.
        case keySetUnavailable
        /// The JWKS document is not a JSON object with a `keys` array.
        case invalidKeySet
        /// The JWKS document has no usable RSA signing key.
        case noUsableKeys
        /// The cache file of the last good JWKS could not be written or read.
        case cacheUnusable
    }

    public var reason: Reason
    public var message: String
    /// The HTTP failure behind `metadataUnavailable` or `keySetUnavailable`.
    public var httpError: HTTPClientError?

    public init(_ reason: Reason, _ message: String, httpError: HTTPClientError? = nil) {
        self.reason = reason
        self.message = message
        self.httpError = httpError
    }

    public var description: String { message }
}
