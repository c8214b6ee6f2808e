import Foundation

/// The requirements an access token must meet: tenants, audiences, default scopes and app roles,
/// clock leeway, lifetime and size limits.
public struct TokenPolicy: Sendable, Equatable {
    /// The largest token accepted, in bytes, checked before any decoding. The cap bounds the work an
    /// unauthenticated request can cause.
    public static let defaultMaxTokenBytes = 16384

    /// The home tenant: the `tid` accepted by default, and the tenant whose issuers are named in messages.
    public var tenantID: String
    /// Further tenants whose tokens are accepted, lower case.
    public var additionalTenantIDs: [String]
    /// Accepted `aud` values, compared exactly.
    public var audiences: [String]
    /// The delegated scopes, any one of which admits a user token on routes that name none of their own.
    public var scopes: [String]
    /// App roles, any one of which admits an app-only token on routes that name none of their own.
    public var appRoles: [String]
    /// Allowed clock difference, in seconds, when checking `exp` and `nbf`.
    public var clockLeeway: TimeInterval
    /// The largest token accepted, in bytes.
    public var maxTokenBytes: Int
    /// The longest accepted `exp - iat`, in seconds; nil accepts any lifetime.
    public var maxLifetime: TimeInterval?

    public init(
        tenantID: String, additionalTenantIDs: [String] = [], audiences: [String], scopes: [String] = ["access_as_user"],
        appRoles: [String] = [], clockLeeway: TimeInterval = 60, maxTokenBytes: Int = TokenPolicy.defaultMaxTokenBytes,
        maxLifetime: TimeInterval? = nil
    ) {
        self.tenantID = tenantID.lowercased()
        self.additionalTenantIDs = additionalTenantIDs.map { $0.lowercased() }
        self.audiences = audiences
        self.scopes = scopes
        self.appRoles = appRoles
        self.clockLeeway = clockLeeway
        self.maxTokenBytes = maxTokenBytes
        self.maxLifetime = maxLifetime
    }

    /// Takes the policy from the service configuration. An empty audience list falls back to the
    /// defaults, the client id and `api://{client id}`, rather than rejecting every token.
    public init(configuration: Configuration) {
        let audiences = configuration.audiences.isEmpty ? Self.defaultAudiences(clientID: configuration.clientID) : configuration.audiences
        self.init(
            tenantID: configuration.tenantID, additionalTenantIDs: configuration.additionalTenantIDs, audiences: audiences,
            scopes: configuration.requiredScopes, appRoles: configuration.appRoles, clockLeeway: TimeInterval(configuration.clockLeeway),
            maxLifetime: configuration.maxTokenLifetime.map(TimeInterval.init))
    }

    /// Returns the default accepted audiences: the client id and the default application ID URI
    /// `api://{client id}`.
    public static func defaultAudiences(clientID: String) -> [String] {
        [clientID, "api://" + clientID]
    }

    /// The scopes and roles of routes that name none of their own.
    public var defaultRequirement: AccessRequirement {
        AccessRequirement(scopes: scopes, appRoles: appRoles)
    }

    /// Returns whether `tid` is one of the accepted tenants. Tenant ids compare case-insensitively, as GUIDs do.
    public func acceptsTenant(_ tenantID: String) -> Bool {
        let tenant = tenantID.lowercased()
        return tenant == self.tenantID || additionalTenantIDs.contains(tenant)
    }

    /// Returns the `iss` of v1.0 tokens of `tenantID`, which Entra ID issues from its security token service host.
    public static func issuerV1(tenantID: String) -> String { "https://sts.windows.net/\(tenantID)/" }

    /// Returns the `iss` of v2.0 tokens of `tenantID`.
    public static func issuerV2(tenantID: String) -> String { "https://login.microsoftonline.com/\(tenantID)/v2.0" }

    /// The v1.0 issuer of the home tenant.
    public var issuerV1: String { Self.issuerV1(tenantID: tenantID) }

    /// The v2.0 issuer of the home tenant.
    public var issuerV2: String { Self.issuerV2(tenantID: tenantID) }
}
