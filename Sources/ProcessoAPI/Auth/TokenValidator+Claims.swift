import Foundation

/// The claim rules a token must pass, each with its own failure reason. Only `checkTenant` runs before
/// the signature is verified, to choose the tenant's keys.
struct ClaimRules {
    let policy: TokenPolicy
    let claims: TokenClaims
    let keyID: String

    /// The `aud` values of Microsoft Graph: its application id and its resource URIs.
    static let graphAudiences: Set<String> = [
        "00000003-0000-0000-c000-000000000000", "https://graph.microsoft.com", "https://graph.microsoft.com/",
    ]

    /// Checks that `tid` is a GUID of an accepted tenant, and returns it in lower case.
    func checkTenant() throws(AuthError) -> String {
        guard let tenantID = claims.tenantID, GUID.isValid(tenantID) else {
            throw reject(.wrongTenant, "The token has no tid claim holding a tenant id (GUID).")
        }
        guard policy.acceptsTenant(tenantID) else {
            throw reject(.wrongTenant, "The token was issued by a tenant (tid) that this service does not accept.")
        }
        return tenantID.lowercased()
    }

    /// Checks `exp` (required), `nbf` (optional) and, when the policy sets one, the maximum lifetime
    /// `exp - iat`, against `now` with `policy.clockLeeway`.
    func checkLifetime(at now: Date) throws(AuthError) {
        let time = now.timeIntervalSince1970
        guard let expiration = claims.expiration else {
            throw reject(.missingExpiration, "The token has no exp claim.")
        }
        // RFC 7519 section 4.1.4: the token must not be accepted on or after its expiration time.
        guard time < expiration + policy.clockLeeway else {
            throw reject(.expired, "The token has expired; get a new token and retry.")
        }
        if let notBefore = claims.notBefore, time + policy.clockLeeway < notBefore {
            throw reject(.notYetValid, "The token is not valid yet (nbf is in the future).")
        }
        if let maxLifetime = policy.maxLifetime {
            guard let issuedAt = claims.issuedAt, expiration - issuedAt <= maxLifetime else {
                throw reject(.lifetimeTooLong, "The token lives longer than the \(Int(maxLifetime)) seconds this service accepts, or has no iat.")
            }
        }
    }

    /// Checks that `iss` is the exact issuer for the token's version and tenant, and that it matches
    /// the `issuer` its signing key is published for, if any.
    ///
    /// v1 tokens come from `https://sts.windows.net/{tid}/` and v2 tokens from
    /// `https://login.microsoftonline.com/{tid}/v2.0`. A key's `issuer` is a template with `{tenantid}`,
    /// filled with the token's `tid`. A v2 token's `iss` must equal it. Entra ID signs v1 tokens with
    /// the same keys, whose `issuer` is in the v2 form, so a v1 token passes when the key's issuer is its
    /// own `iss` or the v2 issuer of the same tenant.
    func checkIssuer(keyIssuer: String?) throws(AuthError) {
        let tenantID = claims.tenantID ?? ""
        let expectedIssuer: String
        switch claims.version {
        case "1.0": expectedIssuer = TokenPolicy.issuerV1(tenantID: tenantID)
        case "2.0": expectedIssuer = TokenPolicy.issuerV2(tenantID: tenantID)
        default: throw reject(.unsupportedTokenVersion, "The token version (ver) must be 1.0 or 2.0.")
        }
        guard claims.issuer == expectedIssuer else {
            throw reject(.wrongIssuer, "The token issuer is not accepted; expected \(Self.headerSafe(expectedIssuer)).")
        }

        guard let keyIssuer else { return }
        let boundIssuer = keyIssuer.replacingOccurrences(of: "{tenantid}", with: tenantID)
        let matches = boundIssuer == expectedIssuer || (claims.version == "1.0" && boundIssuer == TokenPolicy.issuerV2(tenantID: tenantID))
        guard matches else {
            throw reject(.wrongIssuer, "The token issuer does not match the issuer its signing key is published for.")
        }
    }

    func checkAudience() throws(AuthError) {
        if let audience = claims.audience, Self.graphAudiences.contains(audience) {
            throw reject(
                .graphToken, "The token was issued for Microsoft Graph, not for this API; request a token for this API's scope instead.")
        }
        guard let audience = claims.audience, policy.audiences.contains(audience) else {
            let expected = policy.audiences.map(Self.headerSafe).joined(separator: ", ")
            throw reject(.wrongAudience, "The token audience (aud) is not this API; expected one of: \(expected).")
        }
    }

    /// Checks the route's requirement: a delegated token needs one of its scopes in `scp`, an app-only
    /// token (`idtyp` = `app`, or no `scp`) one of its app roles in `roles`.
    ///
    /// This is the only rule whose failure is `.insufficientScope` (HTTP 403): the token is genuine but
    /// does not grant access to this operation.
    func checkAuthorization(_ requirement: AccessRequirement) throws(AuthError) {
        let scopeList = requirement.scopes.map(Self.headerSafe).joined(separator: " or ")
        if claims.isAppOnly {
            let roles = claims.roles ?? []
            guard roles.contains(where: requirement.appRoles.contains) else {
                let needed =
                    requirement.appRoles.isEmpty
                    ? "this operation accepts no app-only tokens; a user token needs the scope \(scopeList)"
                    : "it needs one of the app roles \(requirement.appRoles.map(Self.headerSafe).joined(separator: ", "))"
                var error = reject(.missingScope, "The app-only token lacks access: \(needed).", kind: .insufficientScope)
                error.requiredScopes = requirement.scopes
                throw error
            }
            return
        }

        let scopes = (claims.scope ?? "").split(separator: " ")
        guard scopes.contains(where: { requirement.scopes.contains(String($0)) }) else {
            var error = reject(.missingScope, "The token lacks the scope this operation needs: \(scopeList).", kind: .insufficientScope)
            error.requiredScopes = requirement.scopes
            throw error
        }
    }

    func reject(_ reason: AuthFailureReason, _ message: String, kind: AuthError.Kind = .invalidToken) -> AuthError {
        var error = AuthError(kind, reason, message, keyID: keyID, tenantID: claims.tenantID, objectID: claims.objectID)
        error.issuer = claims.issuer
        error.audience = claims.audience
        return error
    }

    /// Removes what would break the quoted-string `error_description` of a `WWW-Authenticate` header:
    /// double quotes, backslashes and control characters. Configured values can contain them by mistake.
    static func headerSafe(_ value: String) -> String {
        String(value.unicodeScalars.filter { $0 != "\"" && $0 != "\\" && !($0.properties.generalCategory == .control) })
    }
}
