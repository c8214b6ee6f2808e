import Foundation

/// Authenticates requests by their `Authorization: Bearer` access token.
///
/// It parses the header, validates the token against the key source's current snapshot of the token's
/// tenant (never waiting on the network), and logs each rejection once with the reason and the ids
/// involved. It never logs the token or its claims payload.
public struct BearerAuthenticator: RequestAuthenticator {
    public let policy: TokenPolicy
    private let keySource: any SigningKeySource
    private let logger: Logger
    private let clock: @Sendable () -> Date

    /// - Parameters:
    ///   - keySource: The signing keys, usually started `TenantSigningKeys`.
    ///   - clock: The current time for `exp` and `nbf` checks; tests pass a fixed date.
    public init(
        policy: TokenPolicy, keySource: any SigningKeySource, logger: Logger, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.policy = policy
        self.keySource = keySource
        self.logger = logger
        self.clock = clock
    }

    public func authenticate(authorization: String?, requestID: String, requirement: AccessRequirement?) throws(AuthError) -> Principal {
        do throws(AuthError) {
            let token = try Self.bearerToken(from: authorization)
            let keySource = self.keySource
            let validator = TokenValidator(policy: policy, keySets: { keySource.currentKeys(tenantID: $0) })
            return try validator.validate(token, at: clock(), requirement: requirement)
        } catch {
            var error = error
            if error.reason == .unknownKeyID, let keyID = error.keyID, let tenantID = error.tenantID {
                error.message = Self.unknownKeyMessage(keySource.keyIDNotFound(keyID, tenantID: tenantID))
            }
            logger.log(
                error.kind == .keysUnavailable ? .notice : .info, "request rejected",
                [
                    "auth.reason": error.reason.rawValue, "jwt.kid": error.keyID, "jwt.iss": error.issuer.map(Self.loggable),
                    "jwt.aud": error.audience.map(Self.loggable), "jwt.tid": error.tenantID.map(Self.loggable),
                    "jwt.oid": error.objectID.map(Self.loggable), "request.id": requestID,
                ])
            throw error
        }
    }

    /// Authenticates against the policy's default scopes and app roles.
    public func authenticate(authorization: String?, requestID: String) throws(AuthError) -> Principal {
        try authenticate(authorization: authorization, requestID: requestID, requirement: nil)
    }

    public func readiness() -> Readiness {
        keySource.readiness()
    }

    /// Shortens an unverified claim to 200 characters and drops control characters, so a token cannot
    /// forge or flood log lines.
    static func loggable(_ value: String) -> String {
        String(String.UnicodeScalarView(value.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(200)))
    }

    static func unknownKeyMessage(_ outcome: UnknownKeyOutcome) -> String {
        switch outcome {
        case .refetching:
            "The token's signing key (kid) is not among the tenant's current keys; the service is refetching them, so retry in a few seconds."
        case .notPublished:
            "The token's signing key (kid) is not published by the tenant: the token comes from another tenant or cloud, or from an app with its own signing keys."
        }
    }

    /// Extracts the token from `Bearer <token>`: the scheme in any case, then exactly one space and a
    /// token with no further spaces. Surrounding spaces and tabs are ignored.
    static func bearerToken(from header: String?) throws(AuthError) -> Substring {
        let trimmed = header?.trimmingCharacters(in: CharacterSet(charactersIn: " \t")) ?? ""
        guard !trimmed.isEmpty else {
            throw AuthError(.missingCredentials, .missingCredentials, "The request has no Authorization header with a Bearer token.")
        }

        let parts = trimmed.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts[0].lowercased() == "bearer" else {
            throw AuthError(.invalidToken, .unsupportedScheme, "The Authorization header must use the Bearer scheme.")
        }
        guard parts.count == 2, let token = parts.last, !token.isEmpty, !token.contains(where: { $0 == " " || $0 == "\t" }) else {
            throw AuthError(.invalidToken, .malformedToken, "The Authorization header must be Bearer, one space and the token.")
        }
        return token
    }
}
