/// Why a request was not authenticated or not authorized.
///
/// `kind` decides the HTTP response; `reason` is the stable code written to the log; `message` is the
/// sentence sent to the client in `error_description` and `detail`. The ids are logged, never the token.
public struct AuthError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// No `Authorization: Bearer` credentials at all: 401 with a bare challenge.
        case missingCredentials
        /// A token was presented and rejected: 401 with `error="invalid_token"`.
        case invalidToken
        /// A valid token that lacks the scope or role: 403 with `error="insufficient_scope"`.
        case insufficientScope
        /// No signing keys have been fetched yet, so no token can be checked: 503.
        case keysUnavailable
    }

    public var kind: Kind
    public var reason: AuthFailureReason
    public var message: String
    public var keyID: String?
    public var tenantID: String?
    public var objectID: String?
    /// The token's unverified `iss` and `aud`, logged with a rejection to show what was presented.
    public var issuer: String?
    public var audience: String?
    /// For `.insufficientScope`: the scopes the route accepts, sent as the challenge's `scope`.
    public var requiredScopes: [String] = []

    public init(
        _ kind: Kind, _ reason: AuthFailureReason, _ message: String, keyID: String? = nil, tenantID: String? = nil,
        objectID: String? = nil
    ) {
        self.kind = kind
        self.reason = reason
        self.message = message
        self.keyID = keyID
        self.tenantID = tenantID
        self.objectID = objectID
    }

    public var description: String {
        var parts = ["AuthError(reason: \(reason.rawValue)", "message: \(message)"]
        if let keyID { parts.append("kid: \(keyID)") }
        if let tenantID { parts.append("tid: \(tenantID)") }
        if let objectID { parts.append("oid: \(objectID)") }
        return parts.joined(separator: ", ") + ")"
    }
}

/// Stable codes for each rule a token can break, used in logs and tests.
public enum AuthFailureReason: String, Sendable, Equatable, CaseIterable {
    case missingCredentials = "missing_credentials"
    case unsupportedScheme = "unsupported_scheme"
    case tokenTooLarge = "token_too_large"
    case malformedToken = "malformed_token"
    case malformedHeader = "malformed_header"
    case unsupportedAlgorithm = "unsupported_algorithm"
    case missingKeyID = "missing_kid"
    case unknownKeyID = "unknown_kid"
    case unsupportedCriticalHeader = "unsupported_crit"
    case invalidSignature = "invalid_signature"
    case malformedClaims = "malformed_claims"
    case missingExpiration = "missing_exp"
    case expired = "expired"
    case notYetValid = "not_yet_valid"
    case wrongTenant = "wrong_tenant"
    case unsupportedTokenVersion = "unsupported_ver"
    case wrongIssuer = "wrong_issuer"
    case wrongAudience = "wrong_audience"
    case graphToken = "graph_token"
    case lifetimeTooLong = "lifetime_too_long"
    case missingScope = "missing_scope"
    case keysUnavailable = "keys_unavailable"
}
