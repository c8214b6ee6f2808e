import Foundation

/// Authenticates requests by their `Authorization: Bearer` access token.
///
/// It parses the header, takes the key source's current snapshot (never waiting on the network),
/// validates the token, and logs each rejection once with the reason and the ids involved. It never
/// logs the token or its claims.
public struct BearerAuthenticator: RequestAuthenticator {
    public let policy: TokenPolicy
    private let keySource: any SigningKeySource
    private let logger: Logger
    private let clock: @Sendable () -> Date

    /// - Parameters:
    ///   - keySource: The signing keys, usually a started `SigningKeyProvider`.
    ///   - clock: The current time for `exp` and `nbf` checks; tests pass a fixed date.
    public init(
        policy: TokenPolicy, keySource: any SigningKeySource, logger: Logger, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.policy = policy
        self.keySource = keySource
        self.logger = logger
        self.clock = clock
    }

    public func authenticate(authorization: String?, requestID: String) throws(AuthError) -> Principal {
        do throws(AuthError) {
            let token = try Self.bearerToken(from: authorization)

            guard let keys = keySource.currentKeys(), !keys.isEmpty else {
                throw AuthError(.keysUnavailable, .keysUnavailable, "The service has not loaded the signing keys yet; retry shortly.")
            }

            return try TokenValidator(policy: policy, keys: keys).validate(token, at: clock())
        } catch {
            if error.reason == .unknownKeyID, let keyID = error.keyID {
                keySource.keyIDNotFound(keyID)
            }
            logger.log(
                error.kind == .keysUnavailable ? .notice : .info, "request rejected",
                [
                    "auth.reason": error.reason.rawValue, "jwt.kid": error.keyID, "jwt.tid": error.tenantID, "jwt.oid": error.objectID,
                    "request.id": requestID,
                ])
            throw error
        }
    }

    public func readiness() -> Readiness {
        keySource.readiness()
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
