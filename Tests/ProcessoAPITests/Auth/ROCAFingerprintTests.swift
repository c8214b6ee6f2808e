import DevelopmentIdentity
import Foundation
import Testing

@testable import ProcessoAPI

@Suite struct ROCAFingerprintTests {
    /// Reads the modulus of Wycheproof's `jws_rsa_roca_key` group in `json_web_key_test.json`.
    static func wycheproofROCAModulus() throws -> [UInt8] {
        let document = try JSONSerialization.jsonObject(with: Fixture.data("vectors/wycheproof/json_web_key_test.json")) as? [String: Any]
        let groups = document?["testGroups"] as? [[String: Any]] ?? []
        let group = try #require(groups.first { $0["comment"] as? String == "jws_rsa_roca_key" })
        let keys = (group["public"] as? [String: Any])?["keys"] as? [[String: Any]]
        let modulus = try #require(keys?.first?["n"] as? String)
        return try Base64URL.decode(modulus)
    }

    @Test func wycheproofROCAKeyMatches() throws {
        #expect(ROCAFingerprint.matches(modulus: try Self.wycheproofROCAModulus()))
    }

    @Test func generatedKeysDoNotMatch() throws {
        for index in 1...5 {
            let identity = try DevelopmentIdentity.generate()
            #expect(!ROCAFingerprint.matches(modulus: identity.modulus), "generated key \(index)")
        }
    }

    @Test func keySetSkipsROCAKey() throws {
        let modulus = Base64URL.encode(try Self.wycheproofROCAModulus())
        let document = #"{"keys":[{"kty":"RSA","kid":"roca","use":"sig","n":"\#(modulus)","e":"AQAB"}]}"#
        let keys = try JSONWebKeySet(jsonData: Array(document.utf8))

        #expect(keys.isEmpty)
        let skipped = try #require(keys.skippedKeys.first)
        #expect(skipped.reason.contains("ROCA"))
    }
}
