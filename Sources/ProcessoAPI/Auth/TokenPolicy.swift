import Foundation

/// The requirements an access token must meet: tenant, audiences, scope or app role, clock leeway and
/// size limit.
public struct TokenPolicy: Sendable, Equatable {
    /// The largest token accepted, in bytes, checked before any decoding. The cap bounds the work an
    /// unauthenticated request can cause.
    public static let defaultMaxTokenBytes = 16384

    /// The tenant id the `tid` claim must equal, and that the accepted issuers name.
    public var tenantID: String
    /// Accepted `aud` values, compared exactly.
    public var audiences: [String]
    /// The delegated scope a user token must carry in `scp`.
    public var requiredScope: String
    /// App roles, any one of which admits a token without `scp` through its `roles`. Empty admits none.
    public var appRoles: [String]
    /// Allowed clock difference, in seconds, when checking `exp` and `nbf`.
    public var clockLeeway: TimeInterval
    /// The largest token accepted, in bytes.
    public var maxTokenBytes: Int

    public init(
        tenantID: String, audiences: [String], requiredScope: String = "access_as_user", appRoles: [String] = [],
        clockLeeway: TimeInterval = 60, maxTokenBytes: Int = TokenPolicy.defaultMaxTokenBytes
    ) {
        self.tenantID = tenantID
        self.audiences = audiences
        self.requiredScope = requiredScope
        self.appRoles = appRoles
        self.clockLeeway = clockLeeway
        self.maxTokenBytes = maxTokenBytes
    }

    /// Takes the policy from the service configuration. An empty audience list falls back to the
    /// defaults, the client id and `api://{client id}`, rather than rejecting every token.
    public init(configuration: Configuration) {
        let audiences = configuration.audiences.isEmpty ? Self.defaultAudiences(clientID: configuration.clientID) : configuration.audiences
        self.init(
            tenantID: configuration.tenantID, audiences: audiences, requiredScope: configuration.requiredScope,
            appRoles: configuration.appRoles, clockLeeway: TimeInterval(configuration.clockLeeway))
    }

    /// Returns the default accepted audiences: the client id and the default application ID URI
    /// `api://{client id}`.
    public static func defaultAudiences(clientID: String) -> [String] {
        [clientID, "api://" + clientID]
    }

    /// The `iss` of v1.0 tokens, which Entra ID issues from its security token service host.
    public var issuerV1: String { "https://sts.windows.net/\(tenantID)/" }

    /// The `iss` of v2.0 tokens.
    public var issuerV2: String { "https://login.microsoftonline.com/\(tenantID)/v2.0" }
}
