import Foundation

/// Validates Entra ID access tokens (RS256 JWTs) against each tenant's signing keys and a policy.
///
/// The steps run in this order, and the first broken rule decides the `AuthFailureReason`: size and
/// split, header (`alg`, `crit`, `kid`), claims decoding, tenant, key lookup in that tenant's keys,
/// signature, then the claim rules in `TokenValidator+Claims.swift`. Before the signature is verified,
/// the claims only choose which tenant's keys to use, and a tenant outside the policy is rejected
/// before any key is touched. Every claim rule runs after the signature.
public struct TokenValidator: Sendable {
    public let policy: TokenPolicy
    private let keySets: @Sendable (String) -> JSONWebKeySet?

    /// One finished step, for `processo-api check-token`: its name and, when it failed, why.
    public struct Step: Sendable {
        public var name: String
        public var error: AuthError?
    }

    /// - Parameter keySets: Returns a tenant's current signing keys, or nil when it has none.
    public init(policy: TokenPolicy, keySets: @escaping @Sendable (String) -> JSONWebKeySet?) {
        self.policy = policy
        self.keySets = keySets
    }

    /// Uses the same keys for every tenant, for tests and for `check-token --jwks`.
    public init(policy: TokenPolicy, keys: JSONWebKeySet) {
        self.init(policy: policy, keySets: { _ in keys })
    }

    /// Validates `token` as of `now` and returns the caller it describes.
    ///
    /// - Parameters:
    ///   - now: The time to check `exp` and `nbf` against; callers pass their clock's reading so that
    ///     validation never reads a global clock.
    ///   - requirement: The route's scopes and app roles; the policy's defaults when nil.
    ///   - trace: Called after each step with its outcome, for diagnostics.
    /// - Throws: `AuthError` with kind `.insufficientScope` when only the scope or role rule fails,
    ///   `.keysUnavailable` when the tenant has no usable keys, and `.invalidToken` for every other rule.
    public func validate(
        _ token: some StringProtocol, at now: Date, requirement: AccessRequirement? = nil, trace: ((Step) -> Void)? = nil
    ) throws(AuthError) -> Principal {
        func step<T>(_ name: String, _ body: () throws(AuthError) -> T) throws(AuthError) -> T {
            do {
                let result = try body()
                trace?(Step(name: name, error: nil))
                return result
            } catch {
                trace?(Step(name: name, error: error))
                throw error
            }
        }

        let jws = try step("size and segments") { () throws(AuthError) in try CompactJWS(parsing: token, maxBytes: policy.maxTokenBytes) }

        let keyID = try step("header") { () throws(AuthError) in try JOSEHeader.validatedKeyID(decoding: jws.header) }

        let claims = try step("claims decoding") { () throws(AuthError) in try TokenClaims(decoding: jws.payload, keyID: keyID) }
        let rules = ClaimRules(policy: policy, claims: claims, keyID: keyID)

        let tenantID = try step("tenant") { () throws(AuthError) in try rules.checkTenant() }

        let keys = try step("signing keys") { () throws(AuthError) in
            guard let keys = keySets(tenantID), !keys.isEmpty else {
                throw rules.reject(.keysUnavailable, "The service has no signing keys for the tenant yet; retry shortly.", kind: .keysUnavailable)
            }
            return keys
        }

        // No fallback key: a token naming a key the tenant does not publish is rejected, and the caller
        // may ask the key source to refetch.
        let key = try step("key lookup") { () throws(AuthError) in
            guard let key = keys[keyID] else {
                throw rules.reject(.unknownKeyID, "The token was signed with a key (kid) that is not among the tenant's signing keys.")
            }
            return key
        }

        try step("signature") { () throws(AuthError) in
            do {
                try key.verifySHA256PKCS1(signature: jws.signature, message: jws.signingInput)
            } catch {
                throw rules.reject(.invalidSignature, "The token signature is invalid.")
            }
        }

        try step("lifetime") { () throws(AuthError) in try rules.checkLifetime(at: now) }

        try step("issuer") { () throws(AuthError) in try rules.checkIssuer(keyIssuer: keys.issuer(keyID: keyID)) }

        try step("audience") { () throws(AuthError) in try rules.checkAudience() }

        try step("scope or app role") { () throws(AuthError) in try rules.checkAuthorization(requirement ?? policy.defaultRequirement) }

        return Principal(identity: claims.identity, objectID: claims.objectID, tenantID: claims.tenantID)
    }
}
