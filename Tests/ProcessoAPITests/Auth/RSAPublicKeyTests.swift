import DevelopmentIdentity
import Foundation
import Testing

@testable import ProcessoAPI

@Suite struct RSAPublicKeyTests {
    /// A DER SubjectPublicKeyInfo of an EC P-256 key whose point is the curve's base point G.
    static let ecKeyDER =
        "3059301306072a8648ce3d020106082a8648ce3d03010703420004"
        + "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
        + "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"

    @Test func nonRSAKeyIsRejected() throws {
        let error = #expect(throws: OpenSSLError.self) { try RSAPublicKey(subjectPublicKeyInfo: WycheproofTests.hex(Self.ecKeyDER)) }
        #expect(error?.function == "EVP_PKEY_is_a")
    }

    @Test func derKeyWithTrailingBytesIsRejected() throws {
        let file = try JSONDecoder().decode(
            WycheproofTests.TestFile.self, from: Fixture.data("vectors/wycheproof/rsa_signature_2048_sha256_test.json"))
        let der = try WycheproofTests.hex(try #require(file.testGroups.first).publicKeyDer)

        #expect(try RSAPublicKey(subjectPublicKeyInfo: der).bitCount == 2048)
        let error = #expect(throws: OpenSSLError.self) { try RSAPublicKey(subjectPublicKeyInfo: der + [0x00]) }
        #expect(error?.reason == "the DER key has 1 trailing bytes")
    }

    @Test func garbageDERIsRejectedWithOpenSSLCode() {
        let error = #expect(throws: OpenSSLError.self) { try RSAPublicKey(subjectPublicKeyInfo: [0x30, 0x03, 0x02, 0x01]) }
        #expect(error?.function == "d2i_PUBKEY")
        #expect(error?.code != 0)
    }

    @Test func keyFromJWKVerifiesDevelopmentSignature() throws {
        let identity = try TestTenant.identity()
        let key = try RSAPublicKey(modulus: identity.modulus, exponent: identity.exponent)
        let message = Array("header.payload".utf8)
        let signature = try identity.signature(over: message)

        #expect(key.bitCount == 2048)
        try key.verifySHA256PKCS1(signature: signature, message: message)
        let error = #expect(throws: OpenSSLError.self) { try key.verifySHA256PKCS1(signature: signature, message: Array("header.payloaD".utf8)) }
        #expect(error?.function == "EVP_DigestVerify")
    }
}
