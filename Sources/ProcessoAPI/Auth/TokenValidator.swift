import Foundation

/// Validates Entra ID access tokens (RS256 JWTs) against a set of signing keys and a policy.
///
/// The steps run in this order, and the first broken rule decides the `AuthFailureReason`: size and
/// split, header (`alg`, `crit`, `kid`), key lookup, signature, claims decoding, then the claim rules
/// in `TokenValidator+Claims.swift`. Claims are never trusted before the signature is verified.
public struct TokenValidator: Sendable {
    public let policy: TokenPolicy
    public let keys: JSONWebKeySet

    public init(policy: TokenPolicy, keys: JSONWebKeySet) {
        self.policy = policy
        self.keys = keys
    }

    /// Validates `token` as of `now` and returns the caller it describes.
    ///
    /// - Parameter now: The time to check `exp` and `nbf` against; callers pass their clock's reading so
    ///   that validation never reads a global clock.
    /// - Throws: `AuthError` with kind `.insufficientScope` when only the scope or role rule fails, and
    ///   `.invalidToken` for every other rule.
    public func validate(_ token: some StringProtocol, at now: Date) throws(AuthError) -> Principal {
        let jws = try CompactJWS(parsing: token, maxBytes: policy.maxTokenBytes)

        let keyID = try JOSEHeader.validatedKeyID(decoding: jws.header)

        // No fallback key: a token naming a key the tenant does not publish is rejected, and the caller
        // may ask the key provider to refetch.
        guard let key = keys[keyID] else {
            throw AuthError(
                .invalidToken, .unknownKeyID, "The token was signed with a key that is not among the tenant's signing keys.", keyID: keyID)
        }

        do {
            try key.verifySHA256PKCS1(signature: jws.signature, message: jws.signingInput)
        } catch {
            throw AuthError(.invalidToken, .invalidSignature, "The token signature is invalid.", keyID: keyID)
        }

        let claims = try TokenClaims(decoding: jws.payload, keyID: keyID)
        let rules = ClaimRules(policy: policy, claims: claims, keyID: keyID)

        try rules.checkLifetime(at: now)

        try rules.checkTenant()

        try rules.checkIssuer()

        try rules.checkAudience()

        try rules.checkAuthorization()

        return Principal(identity: claims.identity, objectID: claims.objectID, tenantID: claims.tenantID)
    }
}
