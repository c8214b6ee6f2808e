import Foundation

/// The claim rules a token must pass once its signature is verified, each with its own failure reason.
struct ClaimRules {
    let policy: TokenPolicy
    let claims: TokenClaims
    let keyID: String

    /// Checks `exp` (required) and `nbf` (optional) against `now`, allowing `policy.clockLeeway`.
    func checkLifetime(at now: Date) throws(AuthError) {
        let time = now.timeIntervalSince1970
        guard let expiration = claims.expiration else {
            throw reject(.missingExpiration, "The token has no exp claim.")
        }
        // RFC 7519 section 4.1.4: the token must not be accepted on or after its expiration time.
        guard time < expiration + policy.clockLeeway else {
            throw reject(.expired, "The token has expired.")
        }
        if let notBefore = claims.notBefore, time + policy.clockLeeway < notBefore {
            throw reject(.notYetValid, "The token is not valid yet (nbf is in the future).")
        }
    }

    func checkTenant() throws(AuthError) {
        guard claims.tenantID == policy.tenantID else {
            throw reject(.wrongTenant, "The token was issued for another tenant (tid), or has no tid.")
        }
    }

    /// Checks that `iss` is the exact issuer for the token's version: v1 tokens come from
    /// `sts.windows.net`, v2 tokens from `login.microsoftonline.com/{tenant}/v2.0`.
    func checkIssuer() throws(AuthError) {
        let expectedIssuer: String
        switch claims.version {
        case "1.0": expectedIssuer = policy.issuerV1
        case "2.0": expectedIssuer = policy.issuerV2
        default: throw reject(.unsupportedTokenVersion, "The token version (ver) must be 1.0 or 2.0.")
        }
        guard claims.issuer == expectedIssuer else {
            throw reject(.wrongIssuer, "The token issuer is not accepted; expected \(Self.headerSafe(expectedIssuer)).")
        }
    }

    func checkAudience() throws(AuthError) {
        guard let audience = claims.audience, policy.audiences.contains(audience) else {
            let expected = policy.audiences.map(Self.headerSafe).joined(separator: ", ")
            throw reject(.wrongAudience, "The token audience is not accepted; expected one of: \(expected).")
        }
    }

    /// Checks the delegated scope, or for tokens without `scp` (app-only tokens) an accepted app role.
    ///
    /// This is the only rule whose failure is `.insufficientScope` (HTTP 403): the token is genuine but
    /// does not grant access to this API.
    func checkAuthorization() throws(AuthError) {
        if let scope = claims.scope {
            let scopes = scope.split(separator: " ")
            guard scopes.contains(where: { $0 == policy.requiredScope }) else {
                throw reject(
                    .missingScope, "The token lacks the required scope \(Self.headerSafe(policy.requiredScope)).", kind: .insufficientScope)
            }
            return
        }
        let roles = claims.roles ?? []
        guard roles.contains(where: policy.appRoles.contains) else {
            throw reject(
                .missingScope,
                "The token has no scp claim and none of its roles is accepted; a user token needs the scope \(Self.headerSafe(policy.requiredScope)).",
                kind: .insufficientScope)
        }
    }

    private func reject(_ reason: AuthFailureReason, _ message: String, kind: AuthError.Kind = .invalidToken) -> AuthError {
        AuthError(kind, reason, message, keyID: keyID, tenantID: claims.tenantID, objectID: claims.objectID)
    }

    /// Removes what would break the quoted-string `error_description` of a `WWW-Authenticate` header:
    /// double quotes, backslashes and control characters. Configured values can contain them by mistake.
    static func headerSafe(_ value: String) -> String {
        String(value.unicodeScalars.filter { $0 != "\"" && $0 != "\\" && !($0.properties.generalCategory == .control) })
    }
}
