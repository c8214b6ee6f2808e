import DevelopmentIdentity
import Foundation
import Testing

@testable import ProcessoAPI

/// Hostile and edge-case tokens, each with the HTTP status and reason the service must give it.
///
/// Every row starts from a valid token of the test tenant and changes one thing. The key set gives the
/// tenant key the `issuer` template Entra ID publishes, so every row also passes through the key's
/// issuer binding. `HostileTokenTests` runs the rows through the authenticator.
enum HostileTokenTable {
    /// The keys and identities a row can sign with.
    struct Material: Sendable {
        let tenant: DevelopmentIdentity
        let attacker: DevelopmentIdentity
        /// A key the JWKS binds to another tenant's issuer.
        let boundElsewhere: DevelopmentIdentity
        let publicKeyPEM: Data
        let publicKeyDER: Data
    }

    struct Row: CustomTestStringConvertible, Sendable {
        let name: String
        /// 200 when the token must be accepted.
        let status: Int
        let reason: AuthFailureReason?
        let token: @Sendable (Material) throws -> String
        var testDescription: String { name }
    }

    static let otherTenantID = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
    static let customAudience = "https://api.example.com/processos"
    static let now = Int(TestTenant.now.timeIntervalSince1970)

    static let policy: TokenPolicy = {
        var policy = TestTenant.policy
        policy.audiences.append(customAudience)
        return policy
    }()

    private static let sharedMaterial = Result { () throws -> Material in
        let tenant = try TestTenant.identity()
        let pem = try tenant.privateKey.pemEncoded()
        return Material(
            tenant: tenant, attacker: try DevelopmentIdentity.generate(), boundElsewhere: try DevelopmentIdentity.generate(),
            publicKeyPEM: try OpenSSLTool.publicKey(ofPrivateKeyPEM: pem, form: "PEM"),
            publicKeyDER: try OpenSSLTool.publicKey(ofPrivateKeyPEM: pem, form: "DER"))
    }

    static func material() throws -> Material {
        try sharedMaterial.get()
    }

    /// Builds the JWKS the rows are checked against: the tenant key with Entra ID's v2 issuer template, and
    /// `boundElsewhere` with another tenant's issuer.
    static func keySet(_ material: Material) throws -> JSONWebKeySet {
        var tenantKey = material.tenant.publicJWK
        tenantKey["issuer"] = "https://login.microsoftonline.com/{tenantid}/v2.0"
        var boundKey = material.boundElsewhere.publicJWK
        boundKey["issuer"] = .string(TokenPolicy.issuerV2(tenantID: otherTenantID))
        let document = try JSONEncoder().encode(["keys": JSONValue.array([.object(tenantKey), .object(boundKey)])])
        return try JSONWebKeySet(jsonData: Array(document))
    }

    /// Mints a token with the tenant key after `edit` changes the header and claims of a valid one.
    static func minted(
        version: TokenVersion = .v2, _ edit: @escaping @Sendable (inout [String: JSONValue], inout [String: JSONValue]) -> Void = { _, _ in }
    ) -> @Sendable (Material) throws -> String {
        { material in
            var header = material.tenant.defaultHeader
            var claims = TestTenant.userClaims(version: version)
            edit(&header, &claims)
            return try material.tenant.mintToken(claims: claims, header: header)
        }
    }

    /// Mints a valid token, then rewrites its compact text.
    static func rewritten(_ edit: @escaping @Sendable (String) -> String) -> @Sendable (Material) throws -> String {
        { material in edit(try material.tenant.mintToken(claims: TestTenant.userClaims())) }
    }

    /// Signs raw header and payload text with the tenant key.
    static func raw(header: String, payload: String) -> @Sendable (Material) throws -> String {
        { material in try material.tenant.signCompact(header: Array(header.utf8), payload: Array(payload.utf8)) }
    }

    /// Builds an HS256 or HS384 token keyed with the tenant's public key, the classic algorithm confusion attack.
    static func hmacKeyedWithPublicKey(bits: Int, der: Bool) -> @Sendable (Material) throws -> String {
        { material in
            let header = Base64URL.encode(
                JSONValue.encodeObjectForTests(["alg": .string("HS\(bits)"), "typ": "JWT", "kid": .string(material.tenant.keyID)]))
            let payload = Base64URL.encode(JSONValue.encodeObjectForTests(TestTenant.userClaims()))
            let input = header + "." + payload
            let key = der ? material.publicKeyDER : material.publicKeyPEM
            return input + "." + Base64URL.encode(try OpenSSLTool.hmac(bits: bits, key: key, message: Data(input.utf8)))
        }
    }

    /// Signs with the attacker's key under `header`.
    static func signedByAttacker(_ edit: @escaping @Sendable (Material, inout [String: JSONValue]) -> Void) -> @Sendable (Material) throws -> String {
        { material in
            var header = material.attacker.defaultHeader
            edit(material, &header)
            return try material.attacker.mintToken(claims: TestTenant.userClaims(), header: header)
        }
    }

    static let v2Issuer = TokenPolicy.issuerV2(tenantID: TestTenant.tenantID)
}

extension JSONValue {
    /// Encodes an object as the development identity does, for tokens assembled by hand.
    static func encodeObjectForTests(_ object: [String: JSONValue]) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(object))) ?? []
    }
}
