import Foundation
import Testing

@testable import ProcessoAPI

/// The RS256 examples of RFC 7515 appendix A.2 and RFC 7520 section 4.1, in `Fixtures/vectors`.
@Suite struct RFCExampleTests {
    struct PublicJWK: Decodable {
        let n: String
        let e: String
    }

    static func key(_ path: String) throws -> RSAPublicKey {
        let jwk = try JSONDecoder().decode(PublicJWK.self, from: Fixture.data(path))
        return try RSAPublicKey(modulus: Base64URL.decode(jwk.n), exponent: Base64URL.decode(jwk.e))
    }

    /// The A.2 header is `{"alg":"RS256"}` with no `kid`, so it is checked at the signature level with
    /// the function the validator calls.
    @Test func rfc7515ExampleVerifies() throws {
        let token = try Fixture.text("vectors/rfc7515-a2/token.txt")
        let jws = try CompactJWS(parsing: token, maxBytes: TokenPolicy.defaultMaxTokenBytes)
        let key = try Self.key("vectors/rfc7515-a2/jwk_public.json")

        #expect(key.bitCount == 2048)
        #expect(String(decoding: jws.header, as: UTF8.self) == #"{"alg":"RS256"}"#)
        // The payload keeps the CR LF line breaks of the RFC, which the signature covers.
        #expect(jws.payload.contains(0x0D))
        try key.verifySHA256PKCS1(signature: jws.signature, message: jws.signingInput)
    }

    @Test func rfc7515ExampleFailsWithSignatureBitFlipped() throws {
        let token = try Fixture.text("vectors/rfc7515-a2/token.txt")
        let jws = try CompactJWS(parsing: token, maxBytes: TokenPolicy.defaultMaxTokenBytes)
        let key = try Self.key("vectors/rfc7515-a2/jwk_public.json")

        for bit in [0, 7, 1000, jws.signature.count * 8 - 1] {
            var signature = jws.signature
            signature[bit / 8] ^= 1 << UInt8(bit % 8)
            #expect(throws: OpenSSLError.self, "bit \(bit)") {
                try key.verifySHA256PKCS1(signature: signature, message: jws.signingInput)
            }
        }
    }

    @Test func rfc7515ExampleFailsWithPayloadBitFlipped() throws {
        let token = try Fixture.text("vectors/rfc7515-a2/token.txt")
        let jws = try CompactJWS(parsing: token, maxBytes: TokenPolicy.defaultMaxTokenBytes)
        let key = try Self.key("vectors/rfc7515-a2/jwk_public.json")

        var message = Array(jws.signingInput)
        message[message.count - 1] ^= 0x01
        #expect(throws: OpenSSLError.self) {
            try key.verifySHA256PKCS1(signature: jws.signature, message: message)
        }
    }

    /// The RFC 7520 example has a `kid` but a plain-text payload. Its signature verifies with the key
    /// from the parsed key set, and the full validator stops at the claims, which it reads to find the
    /// tenant before it verifies anything.
    @Test func rfc7520ExampleSignatureVerifiesFromKeySet() throws {
        let token = try Fixture.text("vectors/rfc7520-4.1/token.txt")
        let keys = try JSONWebKeySet(jsonData: Fixture.data("vectors/rfc7520-4.1/jwks_public.json"))
        let validator = TokenValidator(policy: TestTenant.policy, keys: keys)
        let jws = try CompactJWS(parsing: token, maxBytes: TokenPolicy.defaultMaxTokenBytes)

        #expect(keys.keyIDs == ["bilbo.baggins@hobbiton.example"])
        try #require(keys["bilbo.baggins@hobbiton.example"]).verifySHA256PKCS1(signature: jws.signature, message: jws.signingInput)
        let error = #expect(throws: AuthError.self) { try validator.validate(token, at: TestTenant.now) }
        #expect(error?.reason == .malformedClaims)
        #expect(error?.keyID == "bilbo.baggins@hobbiton.example")
    }

    @Test func rfc7520ExampleWithAlteredPayloadFailsSignature() throws {
        let token = try Fixture.text("vectors/rfc7520-4.1/token.txt")
        let keys = try JSONWebKeySet(jsonData: Fixture.data("vectors/rfc7520-4.1/jwks_public.json"))
        let validator = TokenValidator(policy: TestTenant.policy, keys: keys)
        let parts = token.split(separator: ".")
        // JSON claims of an accepted tenant, so that the validator reaches the signature.
        let alteredPayload = Base64URL.encode(Array(#"{"tid":"\#(TestTenant.tenantID)"}"#.utf8))
        let altered = "\(parts[0]).\(alteredPayload).\(parts[2])"

        let error = #expect(throws: AuthError.self) { try validator.validate(altered, at: TestTenant.now) }
        #expect(error?.reason == .invalidSignature)
    }

    /// The A.2 key set has no `kid`, and the service never uses a key without one.
    @Test func rfc7515KeySetWithoutKeyIDIsSkipped() throws {
        let keys = try JSONWebKeySet(jsonData: Fixture.data("vectors/rfc7515-a2/jwks_public.json"))

        #expect(keys.isEmpty)
        #expect(keys.skippedKeys.map(\.reason) == ["it has no kid"])
    }
}
