/// The authentication the application needs: a principal for a request's `Authorization`
/// header, and whether tokens can be checked at all.
public protocol RequestAuthenticator: Sendable {
    /// Checks the header value against `requirement`, or the authenticator's default scopes and roles
    /// when it is nil, and returns the caller or throws the reason the request is refused.
    /// Implementations log each rejection once, with `requestID` and the token's ids, never the token.
    func authenticate(authorization: String?, requestID: String, requirement: AccessRequirement?) throws(AuthError) -> Principal

    /// Reports whether signing keys are loaded, for `/healthz`.
    func readiness() -> Readiness
}

/// Whether a component can serve, and why not.
public struct Readiness: Sendable, Equatable {
    public var isReady: Bool
    public var detail: String
    /// The state of each tenant's signing keys; empty for sources without a fetch history.
    public var signingKeys: [SigningKeyState]

    public init(isReady: Bool, detail: String, signingKeys: [SigningKeyState] = []) {
        self.isReady = isReady
        self.detail = detail
        self.signingKeys = signingKeys
    }
}

/// One tenant's signing keys as `/healthz` reports them.
public struct SigningKeyState: Sendable, Equatable, Encodable {
    public var tenantID: String
    /// Keys usable now; 0 when none were fetched or they are older than their validity.
    public var keyCount: Int
    /// Seconds since the last successful fetch (or since the cached copy was fetched), nil before any.
    public var lastFetchAgeSeconds: Int?
    /// The message of the last failed fetch, nil once a fetch succeeds.
    public var lastError: String?
    /// `network` or `cache`: where the current keys came from.
    public var source: String?

    public init(tenantID: String, keyCount: Int, lastFetchAgeSeconds: Int?, lastError: String?, source: String?) {
        self.tenantID = tenantID
        self.keyCount = keyCount
        self.lastFetchAgeSeconds = lastFetchAgeSeconds
        self.lastError = lastError
        self.source = source
    }

    private enum CodingKeys: String, CodingKey {
        case tenantID = "tenant_id"
        case keyCount = "key_count"
        case lastFetchAgeSeconds = "last_fetch_age_seconds"
        case lastError = "last_error"
        case source
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tenantID, forKey: .tenantID)
        try container.encode(keyCount, forKey: .keyCount)
        // Written as null rather than left out, so monitoring gets every field in every response.
        try container.encode(lastFetchAgeSeconds, forKey: .lastFetchAgeSeconds)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(source, forKey: .source)
    }
}
