import DevelopmentIdentity
import Foundation
import Testing

@testable import ProcessoAPI

@Suite struct JSONWebKeySetTests {
    /// Builds a JWKS entry for `identity` with `changes` applied. A nil value removes the member.
    static func entry(_ identity: DevelopmentIdentity, _ changes: [String: JSONValue?] = [:]) -> JSONValue {
        var jwk = identity.publicJWK
        for (name, value) in changes {
            jwk[name] = value
        }
        return .object(jwk)
    }

    static func document(_ entries: [JSONValue]) throws -> Data {
        try JSONEncoder().encode(["keys": JSONValue.array(entries)])
    }

    @Test func unusableEntriesAreSkipped() throws {
        let identity = try TestTenant.identity()
        let shortIdentity = try DevelopmentIdentity(privateKey: RSAPrivateKey.generate(bits: 1024))
        let entries: [JSONValue] = [
            Self.entry(identity),
            ["kty": "EC", "kid": "ec-key", "crv": "P-256", "x": "AAAA", "y": "AAAA"],
            Self.entry(shortIdentity, ["kid": "short-key"]),
            Self.entry(identity, ["kid": "encryption-key", "use": "enc"]),
            Self.entry(identity, ["kid": nil]),
            Self.entry(identity, ["kid": "rs384-key", "alg": "RS384"]),
            Self.entry(identity, ["kid": "padded-modulus", "n": .string(Base64URL.encode(identity.modulus) + "=")]),
            Self.entry(identity, ["kid": "no-exponent", "e": nil]),
            Self.entry(identity, ["kid": "numeric-use", "use": 1]),
            "not an object",
        ]

        let keys = try JSONWebKeySet(jsonData: Self.document(entries))

        #expect(keys.keyIDs == [identity.keyID])
        let skipped = Dictionary(keys.skippedKeys.map { ($0.keyID ?? "(none)", $0.reason) }, uniquingKeysWith: { first, _ in first })
        #expect(skipped["ec-key"] == "its kty is not RSA")
        #expect(skipped["short-key"] == "its modulus has 1024 bits, fewer than 2048")
        #expect(skipped["encryption-key"] == "its use is not sig")
        #expect(skipped["(none)"] == "it has no kid")
        #expect(skipped["rs384-key"] == "its alg is not RS256")
        #expect(skipped["padded-modulus"] == "its n or e is missing or not base64url")
        #expect(skipped["no-exponent"] == "its n or e is missing or not base64url")
        #expect(skipped["numeric-use"] == "its use is not sig")
        #expect(keys.skippedKeys.count == 9)
    }

    @Test func keyWithoutUseIsKept() throws {
        let identity = try TestTenant.identity()

        let keys = try JSONWebKeySet(jsonData: Self.document([Self.entry(identity, ["use": nil, "alg": "RS256"])]))

        #expect(keys.keyIDs == [identity.keyID])
        #expect(keys[identity.keyID]?.bitCount == 2048)
    }

    /// Two keys under one `kid` are both dropped: a token naming it could mean either.
    @Test func duplicateKeyIDDropsBoth() throws {
        let identity = try TestTenant.identity()
        let other = try DevelopmentIdentity.generate()
        let entries = [Self.entry(identity, ["kid": "shared"]), Self.entry(other, ["kid": "shared"])]

        let keys = try JSONWebKeySet(jsonData: Self.document(entries))
        let token = try identity.mintToken(claims: TestTenant.userClaims(), header: ["alg": "RS256", "kid": "shared"])

        #expect(keys.keyIDs == [])
        #expect(keys.skippedKeys.map(\.keyID) == ["shared"])
        let error = #expect(throws: AuthError.self) { try TokenValidator(policy: TestTenant.policy, keys: keys).validate(token, at: TestTenant.now) }
        #expect(error?.kind == .keysUnavailable)
    }

    @Test(arguments: ["", "[]", #"{"keys":{}}"#, #"{"key":[]}"#, "{"])
    func malformedDocumentIsRejected(document: String) {
        #expect(throws: JSONWebKeySetError.self, "\(document)") { try JSONWebKeySet(jsonData: Array(document.utf8)) }
    }

    @Test func emptyKeyListParsesToEmptySet() throws {
        let keys = try JSONWebKeySet(jsonData: Array(#"{"keys":[]}"#.utf8))

        #expect(keys.isEmpty)
    }
}
