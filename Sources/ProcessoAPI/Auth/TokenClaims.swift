import Foundation

/// The claims of an Entra ID access token that validation and the principal use.
///
/// A claim of the wrong JSON type fails decoding, so `exp: "123"`, `iss: ["…"]` or `roles: "admin"`
/// makes the token's claims malformed rather than silently absent. Claims not listed here are ignored.
struct TokenClaims: Decodable {
    /// Expiration time, seconds since 1970 (NumericDate).
    var expiration: Double?
    /// Not-before time, seconds since 1970 (NumericDate).
    var notBefore: Double?
    /// Issue time, seconds since 1970 (NumericDate).
    var issuedAt: Double?
    var issuer: String?
    var audience: String?
    var tenantID: String?
    var objectID: String?
    /// The token format version: "1.0" for v1 (what Power Platform connectors receive) or "2.0".
    var version: String?
    /// Delegated scopes, space-separated.
    var scope: String?
    /// App roles granted to an application calling on its own behalf.
    var roles: [String]?
    /// `app` for app-only tokens and `user` for delegated ones, when the app registration requests the optional claim.
    var identityType: String?
    var userPrincipalName: String?
    var preferredUsername: String?
    var email: String?
    var uniqueName: String?

    private enum CodingKeys: String, CodingKey {
        case expiration = "exp"
        case notBefore = "nbf"
        case issuedAt = "iat"
        case issuer = "iss"
        case audience = "aud"
        case tenantID = "tid"
        case objectID = "oid"
        case version = "ver"
        case scope = "scp"
        case roles
        case identityType = "idtyp"
        case userPrincipalName = "upn"
        case preferredUsername = "preferred_username"
        case email
        case uniqueName = "unique_name"
    }

    /// Decodes the payload, which must be a JSON object without repeated members whose known claims
    /// have their JSON types.
    init(decoding payload: [UInt8], keyID: String) throws(AuthError) {
        guard !JSONMembers.hasDuplicateTopLevelMember(payload) else {
            throw AuthError(.invalidToken, .malformedClaims, "The token claims name the same claim more than once.", keyID: keyID)
        }
        do {
            self = try CompactJWS.jsonDecoder.decode(TokenClaims.self, from: Data(payload))
        } catch {
            throw AuthError(
                .invalidToken, .malformedClaims, "The token claims are not a JSON object with the expected claim types.",
                keyID: keyID)
        }
    }

    /// Whether the token is app-only: `idtyp` is `app`, or, when `idtyp` is absent, there is no `scp`.
    var isAppOnly: Bool {
        identityType == "app" || (identityType == nil && scope == nil)
    }

    /// The caller's sign-in name: `upn`, else `preferred_username`, else `email`, else `unique_name`
    /// without a leading `live.com#`, else "unknown". Empty values count as absent.
    var identity: String {
        let candidates = [userPrincipalName, preferredUsername, email, uniqueName.map(Self.removingLivePrefix)]
        for case let candidate? in candidates where !candidate.isEmpty {
            return candidate
        }
        return "unknown"
    }

    private static func removingLivePrefix(_ name: String) -> String {
        name.hasPrefix("live.com#") ? String(name.dropFirst("live.com#".count)) : name
    }
}
