import Foundation
import ProcessoAPI

/// The Entra ID access token formats, as the `ver` claim names them.
public enum TokenVersion: String, Sendable, CaseIterable {
    /// v1.0 tokens, which Power Platform connectors (Copilot Studio) receive.
    case v1 = "1.0"
    case v2 = "2.0"
}

extension DevelopmentIdentity {
    public static let defaultUserPrincipalName = "dev.user@example.com"
    public static let defaultObjectID = "00000000-0000-4000-8000-000000000001"
    /// The application (client) id of the calling app in development tokens (`azp` or `appid`).
    public static let defaultClientApplicationID = "00000000-0000-4000-8000-0000000000c1"

    /// The `iss` Entra ID writes into tokens of each version, written out here rather than taken from
    /// the validator so that tests compare two independent statements of the rule.
    public static func issuer(tenantID: String, version: TokenVersion) -> String {
        switch version {
        case .v1: "https://sts.windows.net/\(tenantID)/"
        case .v2: "https://login.microsoftonline.com/\(tenantID)/v2.0"
        }
    }

    /// Claims of a delegated (user) access token as Entra ID issues it for `version`.
    ///
    /// `iat` and `nbf` are `issuedAt` and `exp` is `issuedAt + lifetime`, in whole seconds. Change or
    /// remove members of the result to break one rule at a time.
    public static func userTokenClaims(
        tenantID: String, audience: String, version: TokenVersion = .v2, issuedAt: Date, lifetime: TimeInterval = 3600,
        scope: String = "access_as_user", userPrincipalName: String = defaultUserPrincipalName, objectID: String = defaultObjectID
    ) -> [String: JSONValue] {
        var claims = commonClaims(tenantID: tenantID, audience: audience, version: version, issuedAt: issuedAt, lifetime: lifetime)
        claims["scp"] = .string(scope)
        claims["upn"] = .string(userPrincipalName)
        claims["oid"] = .string(objectID)
        claims["sub"] = .string(objectID)
        claims["name"] = "Development User"
        switch version {
        case .v1: claims["unique_name"] = .string(userPrincipalName)
        case .v2: claims["preferred_username"] = .string(userPrincipalName)
        }
        return claims
    }

    /// Claims of an app-only access token: `roles` and no `scp`, as for a daemon calling on its own behalf.
    public static func appTokenClaims(
        tenantID: String, audience: String, version: TokenVersion = .v2, issuedAt: Date, lifetime: TimeInterval = 3600,
        roles: [String], objectID: String = defaultObjectID
    ) -> [String: JSONValue] {
        var claims = commonClaims(tenantID: tenantID, audience: audience, version: version, issuedAt: issuedAt, lifetime: lifetime)
        claims["roles"] = .array(roles.map(JSONValue.string))
        claims["oid"] = .string(objectID)
        claims["sub"] = .string(objectID)
        return claims
    }

    /// The header of a token signed by this identity: `alg` RS256, `typ` JWT and this key's `kid`.
    public var defaultHeader: [String: JSONValue] {
        ["alg": "RS256", "typ": "JWT", "kid": .string(keyID)]
    }

    /// Signs `claims` under `header` (by default `defaultHeader`) and returns the compact JWS.
    public func mintToken(claims: [String: JSONValue], header: [String: JSONValue]? = nil) throws(DevelopmentIdentityError) -> String {
        try signCompact(header: JSONValue.encodeObject(header ?? defaultHeader), payload: JSONValue.encodeObject(claims))
    }

    /// Base64url-encodes any header and payload bytes, JSON or not, and signs them with RS256.
    public func signCompact(header: [UInt8], payload: [UInt8]) throws(DevelopmentIdentityError) -> String {
        let signingInput = Base64URL.encode(header) + "." + Base64URL.encode(payload)
        return signingInput + "." + Base64URL.encode(try signature(over: Array(signingInput.utf8)))
    }

    /// Signs `signingInput` with RS256, for tests that assemble tokens byte by byte.
    public func signature(over signingInput: [UInt8]) throws(DevelopmentIdentityError) -> [UInt8] {
        do {
            return try privateKey.signSHA256PKCS1(signingInput)
        } catch {
            throw DevelopmentIdentityError(.crypto, "Signing the development token failed: \(error)")
        }
    }

    private static func commonClaims(tenantID: String, audience: String, version: TokenVersion, issuedAt: Date, lifetime: TimeInterval)
        -> [String: JSONValue]
    {
        let issuedAtSeconds = Int(issuedAt.timeIntervalSince1970.rounded(.down))
        var claims: [String: JSONValue] = [
            "aud": .string(audience),
            "iss": .string(issuer(tenantID: tenantID, version: version)),
            "iat": .integer(issuedAtSeconds),
            "nbf": .integer(issuedAtSeconds),
            "exp": .integer(issuedAtSeconds + Int(lifetime)),
            "tid": .string(tenantID),
            "ver": .string(version.rawValue),
        ]
        // v1 tokens name the calling app in `appid`, v2 tokens in `azp`.
        switch version {
        case .v1: claims["appid"] = .string(defaultClientApplicationID)
        case .v2: claims["azp"] = .string(defaultClientApplicationID)
        }
        return claims
    }
}
