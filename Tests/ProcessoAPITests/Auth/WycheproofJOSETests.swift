import Foundation
import Testing

@testable import ProcessoAPI

/// Project Wycheproof's JSON Web Signature and JSON Web Key vectors, run through the validator's steps
/// up to the signature: compact split, header rules, key lookup in the parsed JWKS, RS256 verification.
///
/// The payloads are not JWT claims (`foo`, empty, binary), so the steps after the signature do not
/// apply, and the full validator would reject every case at the claims. Only RS256 cases can be
/// `valid` here. Every other algorithm, key type, key use and encoding must be rejected, whatever
/// Wycheproof's verdict, because this service accepts RS256 alone.
@Suite struct WycheproofJOSETests {
    struct TestFile: Decodable {
        let testGroups: [TestGroup]
    }

    struct TestGroup: Decodable {
        let comment: String
        let publicKey: JSONValueBox?
        let tests: [TestCase]

        private enum CodingKeys: String, CodingKey {
            case comment, tests
            case publicKey = "public"
        }
    }

    struct TestCase: Decodable {
        let tcId: Int
        let comment: String
        let jws: JSONValueBox
        let result: String
    }

    /// Any JSON value kept as its serialized text, since `public` is a JWK in one file and a JWKS in
    /// the other, and `jws` is a compact string except in one JSON-serialization case.
    struct JSONValueBox: Decodable {
        let json: Data
        let string: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                string = text
                json = Data()
            } else {
                string = nil
                json = try JSONSerialization.data(withJSONObject: container.decode(AnyJSON.self).value, options: [.fragmentsAllowed])
            }
        }
    }

    /// A JSON value decoded into Foundation types for `JSONSerialization`.
    struct AnyJSON: Decodable {
        let value: Any

        init(from decoder: any Decoder) throws {
            if var array = try? decoder.unkeyedContainer() {
                var values: [Any] = []
                while !array.isAtEnd { values.append(try array.decode(AnyJSON.self).value) }
                value = values
            } else if let object = try? decoder.container(keyedBy: Key.self) {
                var values: [String: Any] = [:]
                for key in object.allKeys { values[key.stringValue] = try object.decode(AnyJSON.self, forKey: key).value }
                value = values
            } else {
                let single = try decoder.singleValueContainer()
                if let bool = try? single.decode(Bool.self) {
                    value = bool
                } else if let number = try? single.decode(Double.self) {
                    value = number
                } else if let text = try? single.decode(String.self) {
                    value = text
                } else {
                    value = NSNull()
                }
            }
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }

    /// Cases whose Wycheproof verdict this service does not reach, and why.
    static let knownGaps: [String: String] = [:]

    /// Valid JWS cases this service rejects on purpose, by Wycheproof comment.
    static let stricterByDesign: [String: String] = [
        "emptyPayload": "a JWT payload is a JSON object of claims, never empty, so an empty segment is malformed"
    ]

    /// Runs the validator's steps up to the signature; returns nil when the signature verifies.
    static func rejectionBeforeClaims(_ token: String, keys: JSONWebKeySet) -> AuthError? {
        do throws(AuthError) {
            let jws = try CompactJWS(parsing: token, maxBytes: TokenPolicy.defaultMaxTokenBytes)
            let keyID = try JOSEHeader.validatedKeyID(decoding: jws.header)
            guard let key = keys[keyID] else {
                return AuthError(.invalidToken, .unknownKeyID, "unknown kid", keyID: keyID)
            }
            do {
                try key.verifySHA256PKCS1(signature: jws.signature, message: jws.signingInput)
            } catch {
                return AuthError(.invalidToken, .invalidSignature, "invalid signature", keyID: keyID)
            }
            return nil
        } catch {
            return error
        }
    }

    /// Parses a group's `public` member, a JWK or a JWKS, as the service parses a fetched JWKS.
    static func keySet(_ publicKey: JSONValueBox?) -> JSONWebKeySet {
        guard let publicKey else { return .empty }
        let object = (try? JSONSerialization.jsonObject(with: publicKey.json)) as? [String: Any] ?? [:]
        let document = object["keys"] != nil ? object : ["keys": [object]]
        guard let data = try? JSONSerialization.data(withJSONObject: document) else { return .empty }
        return (try? JSONWebKeySet(jsonData: data)) ?? .empty
    }

    @Test(arguments: ["json_web_signature_test.json", "json_web_key_test.json"])
    func casesMatchVerdicts(file: String) throws {
        let testFile = try JSONDecoder().decode(TestFile.self, from: Fixture.data("vectors/wycheproof/\(file)"))
        var accepted = 0
        var rejected = 0

        for group in testFile.testGroups {
            let keys = Self.keySet(group.publicKey)
            for testCase in group.tests {
                let name = "\(file) \(testCase.tcId)"
                let token = testCase.jws.string ?? String(decoding: testCase.jws.json, as: UTF8.self)
                let rejection = Self.rejectionBeforeClaims(token, keys: keys)
                let isRS256Group = group.comment.lowercased().hasPrefix("rs256") || group.comment.hasPrefix("rfc7520")
                let expectAccepted =
                    testCase.result == "valid" && isRS256Group && token.hasPrefix("eyJhbGciOiJSUzI1NiIs")
                    && Self.stricterByDesign[testCase.comment] == nil

                if rejection == nil { accepted += 1 } else { rejected += 1 }
                if let gap = Self.knownGaps[name] {
                    #expect(rejection == nil, "\(name) is a known gap (\(gap)); update the list if it is now rejected")
                } else if expectAccepted {
                    #expect(rejection == nil, "\(name) \(testCase.comment) is valid RS256 but was rejected: \(rejection?.reason.rawValue ?? "")")
                } else {
                    #expect(rejection != nil, "\(name) \(testCase.comment) (\(testCase.result), group \(group.comment)) was accepted")
                }
            }
        }
        #expect(accepted >= 1, "\(file): no case was accepted, so the harness proves nothing")
        #expect(rejected >= 10, "\(file): too few cases were rejected")
    }
}
