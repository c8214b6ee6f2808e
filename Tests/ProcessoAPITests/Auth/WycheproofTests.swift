import Foundation
import Testing

@testable import ProcessoAPI

/// Project Wycheproof's RSASSA-PKCS1-v1_5 SHA-256 verification vectors, run through
/// `RSAPublicKey.verifySHA256PKCS1`, the function `TokenValidator` uses.
///
/// Decisions for the cases Wycheproof leaves open:
/// - `acceptable` cases (all are `MissingNull`: a DigestInfo without the NULL algorithm parameter)
///   must be rejected. OpenSSL 3.0 rejects them because it compares the whole re-encoded DigestInfo,
///   and accepting a second encoding would only widen what counts as a valid signature.
/// - Groups with the public exponent 3 (`SmallPublicKey`) run like the others: valid signatures are
///   accepted and invalid ones rejected. A small exponent only enables forgeries against verifiers that
///   parse the padding loosely, which is exactly what the invalid cases probe.
@Suite struct WycheproofTests {
    struct TestFile: Decodable {
        let algorithm: String
        let numberOfTests: Int
        let testGroups: [TestGroup]
    }

    struct TestGroup: Decodable {
        let keySize: Int
        let sha: String
        let publicKeyDer: String
        let publicKey: PublicKey
        let tests: [TestCase]
    }

    struct PublicKey: Decodable {
        let publicExponent: String
    }

    struct TestCase: Decodable {
        let tcId: Int
        let comment: String
        let flags: [String]
        let msg: String
        let sig: String
        let result: String
    }

    struct Tally {
        var accepted = 0
        var rejected = 0
        var smallExponentCases = 0
        var acceptableCases = 0
    }

    @Test(arguments: ["rsa_signature_2048_sha256_test.json", "rsa_signature_3072_sha256_test.json", "rsa_signature_4096_sha256_test.json"])
    func vectorsMatchExpectedResults(file: String) throws {
        let testFile = try JSONDecoder().decode(TestFile.self, from: Fixture.data("vectors/wycheproof/\(file)"))
        #expect(testFile.algorithm == "RSASSA-PKCS1-v1_5")

        var tally = Tally()
        for group in testFile.testGroups {
            #expect(group.sha == "SHA-256")
            let key = try RSAPublicKey(subjectPublicKeyInfo: try Self.hex(group.publicKeyDer))
            #expect(key.bitCount == group.keySize)
            let isSmallExponent = group.publicKey.publicExponent == "03"

            for testCase in group.tests {
                let verified: Bool
                do {
                    try key.verifySHA256PKCS1(signature: Self.hex(testCase.sig), message: Self.hex(testCase.msg))
                    verified = true
                } catch {
                    verified = false
                }
                if verified {
                    tally.accepted += 1
                } else {
                    tally.rejected += 1
                }
                if isSmallExponent { tally.smallExponentCases += 1 }

                switch testCase.result {
                case "valid":
                    #expect(verified, "\(file) tcId \(testCase.tcId) is valid but was rejected: \(testCase.comment) \(testCase.flags)")
                case "invalid":
                    #expect(!verified, "\(file) tcId \(testCase.tcId) is invalid but was accepted: \(testCase.comment) \(testCase.flags)")
                case "acceptable":
                    tally.acceptableCases += 1
                    #expect(!verified, "\(file) tcId \(testCase.tcId) is acceptable and must be rejected: \(testCase.comment) \(testCase.flags)")
                default:
                    Issue.record("\(file) tcId \(testCase.tcId) has the unknown result \(testCase.result)")
                }
            }
        }

        #expect(tally.accepted + tally.rejected == testFile.numberOfTests)
        #expect(tally.acceptableCases >= 1, "the acceptable MissingNull case was not run")
        if file.contains("4096") {
            #expect(tally.smallExponentCases == 0)
        } else {
            #expect(tally.smallExponentCases >= 1, "no e = 3 case was run")
        }
    }

    static func hex(_ text: String) throws -> [UInt8] {
        struct InvalidHex: Error {}
        guard text.count % 2 == 0 else { throw InvalidHex() }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { throw InvalidHex() }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
