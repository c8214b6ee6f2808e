import DevelopmentIdentity
import Foundation
import Testing

@testable import ProcessoAPI

@Suite struct DevelopmentIdentityTests {
    @Test func createdKeyIsPrivateAndLoadsBack() throws {
        let directory = try TemporaryDirectory.make(prefix: "identity")
        defer { try? FileManager.default.removeItem(at: directory) }

        let created = try DevelopmentIdentity.create(in: directory.path)
        let loaded = try DevelopmentIdentity.load(from: directory.path)

        let attributes = try FileManager.default.attributesOfItem(atPath: DevelopmentIdentity.keyPath(in: directory.path))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(loaded.keyID == created.keyID)
        #expect(loaded.modulus == created.modulus)
        #expect(loaded.modulus.count == 256)
        #expect(loaded.exponent == [0x01, 0x00, 0x01])
    }

    @Test func missingKeyIsReportedWithPath() throws {
        let directory = try TemporaryDirectory.make(prefix: "identity")
        defer { try? FileManager.default.removeItem(at: directory) }

        let error = #expect(throws: DevelopmentIdentityError.self) { try DevelopmentIdentity.load(from: directory.path) }
        let path = DevelopmentIdentity.keyPath(in: directory.path)
        #expect(error?.reason == .keyNotFound)
        #expect(error?.path == path)
        #expect(error?.message.contains(path) == true)
    }

    @Test func existingKeyIsNeverOverwritten() throws {
        let directory = try TemporaryDirectory.make(prefix: "identity")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try DevelopmentIdentity.create(in: directory.path)

        let error = #expect(throws: DevelopmentIdentityError.self) { try DevelopmentIdentity.create(in: directory.path) }
        #expect(error?.reason == .keyExists)
        #expect(try DevelopmentIdentity.loadOrCreate(in: directory.path).keyID == first.keyID)
    }

    @Test func invalidKeyFileIsRejected() throws {
        let directory = try TemporaryDirectory.make(prefix: "identity")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("not a key".utf8).write(to: URL(fileURLWithPath: DevelopmentIdentity.keyPath(in: directory.path)))

        let error = #expect(throws: DevelopmentIdentityError.self) { try DevelopmentIdentity.load(from: directory.path) }
        #expect(error?.reason == .invalidKey)
    }

    /// The example of RFC 7638 section 3.1, whose thumbprint the RFC gives.
    @Test func thumbprintMatchesRFC7638Example() throws {
        let modulus = try Base64URL.decode(
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
        )

        let thumbprint = try DevelopmentIdentity.thumbprint(modulus: modulus, exponent: [0x01, 0x00, 0x01])

        #expect(thumbprint == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }

    @Test func jwksDocumentHasOneSigningKey() throws {
        let identity = try TestTenant.identity()

        let document = try JSONSerialization.jsonObject(with: Data(identity.jwksDocument())) as? [String: Any]
        let keys = try #require(document?["keys"] as? [[String: String]])

        #expect(keys.count == 1)
        #expect(keys.first?["kty"] == "RSA")
        #expect(keys.first?["use"] == "sig")
        #expect(keys.first?["kid"] == identity.keyID)
        #expect(keys.first?["e"] == "AQAB")
        #expect(try identity.keySet().keyIDs == [identity.keyID])
    }

    @Test func discoveryDocumentsUseEntraLayout() throws {
        let identity = try TestTenant.identity()
        let directory = try TemporaryDirectory.make(prefix: "discovery")
        defer { try? FileManager.default.removeItem(at: directory) }

        let documents = try identity.writeDiscoveryDocuments(to: directory.path, baseURL: "https://localhost:8443/", tenantID: TestTenant.tenantID)

        #expect(documents.authorityHost == "https://localhost:8443")
        #expect(documents.metadataURL == "https://localhost:8443/\(TestTenant.tenantID)/v2.0/.well-known/openid-configuration")
        #expect(documents.jwksURL == "https://localhost:8443/jwks.json")
        let metadata = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: documents.metadataPath))) as? [String: Any]
        #expect(metadata?["jwks_uri"] as? String == documents.jwksURL)
        #expect(metadata?["issuer"] as? String == "https://login.microsoftonline.com/\(TestTenant.tenantID)/v2.0")
        #expect(try Data(contentsOf: URL(fileURLWithPath: documents.jwksPath)) == Data(identity.jwksDocument()))
    }

    @Test func mintedTokenHasExpectedHeaderAndClaims() throws {
        let identity = try TestTenant.identity()
        let token = try identity.mintToken(claims: TestTenant.userClaims(version: .v1))
        let jws = try CompactJWS(parsing: token, maxBytes: TokenPolicy.defaultMaxTokenBytes)

        let header = try JSONSerialization.jsonObject(with: Data(jws.header)) as? [String: String]
        let claims = try JSONSerialization.jsonObject(with: Data(jws.payload)) as? [String: Any]

        #expect(header == ["alg": "RS256", "typ": "JWT", "kid": identity.keyID])
        #expect(claims?["ver"] as? String == "1.0")
        #expect(claims?["iss"] as? String == "https://sts.windows.net/\(TestTenant.tenantID)/")
        #expect(claims?["aud"] as? String == "api://\(TestTenant.clientID)")
        #expect(claims?["scp"] as? String == "access_as_user")
        #expect((claims?["exp"] as? NSNumber)?.intValue == Int(TestTenant.now.timeIntervalSince1970) - 300 + 3600)
    }
}
