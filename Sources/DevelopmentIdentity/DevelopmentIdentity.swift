import COpenSSL
import Foundation
import ProcessoAPI

/// A local stand-in for an Entra ID tenant: an RSA signing key, its JWKS and OpenID configuration,
/// and RS256 tokens signed with it.
///
/// The service validates these tokens with its production code; only the tenant id and the metadata
/// URL differ. The private key lives in its own folder (`PROCESSO_API_DEV_IDENTITY_DIR`), apart from
/// the public documents that a web server may serve.
public struct DevelopmentIdentity: Sendable {
    /// The private key's file name inside the identity folder.
    public static let keyFileName = "signing-key.pem"

    public let privateKey: RSAPrivateKey
    /// The key's RFC 7638 JWK thumbprint, used as its `kid`.
    public let keyID: String
    /// The public modulus `n`, big-endian.
    public let modulus: [UInt8]
    /// The public exponent `e`, big-endian.
    public let exponent: [UInt8]

    /// Wraps a key held in memory; `create` and `load` are the usual entry points.
    public init(privateKey: RSAPrivateKey) throws(DevelopmentIdentityError) {
        do {
            let (modulus, exponent) = try privateKey.publicComponents()
            self.privateKey = privateKey
            self.modulus = modulus
            self.exponent = exponent
            self.keyID = try Self.thumbprint(modulus: modulus, exponent: exponent)
        } catch {
            throw DevelopmentIdentityError(.crypto, "Reading the development key's public part failed: \(error)")
        }
    }

    /// Generates a new 2048-bit key held only in memory, for tests.
    public static func generate() throws(DevelopmentIdentityError) -> DevelopmentIdentity {
        do {
            return try DevelopmentIdentity(privateKey: RSAPrivateKey.generate(bits: 2048))
        } catch let error as DevelopmentIdentityError {
            throw error
        } catch {
            throw DevelopmentIdentityError(.crypto, "Generating the development key failed: \(error)")
        }
    }

    /// Generates a key and saves it as `signing-key.pem` (mode 0600) in `directory`, which is created
    /// if needed. An existing key is never overwritten.
    public static func create(in directory: String) throws(DevelopmentIdentityError) -> DevelopmentIdentity {
        let identity = try generate()
        let path = keyPath(in: directory)
        let pem: [UInt8]
        do {
            pem = try identity.privateKey.pemEncoded()
        } catch {
            throw DevelopmentIdentityError(.crypto, path: path, "Encoding the development key as PEM failed: \(error)")
        }
        try PrivateFile.create(path, contents: pem)
        return identity
    }

    /// Loads the key saved by `create`.
    ///
    /// - Throws: `.keyNotFound`, naming the missing file, when there is no development key.
    public static func load(from directory: String) throws(DevelopmentIdentityError) -> DevelopmentIdentity {
        let path = keyPath(in: directory)
        guard FileManager.default.fileExists(atPath: path) else {
            throw DevelopmentIdentityError(
                .keyNotFound, path: path,
                "The development signing key \(path) does not exist. Create the development identity first (make run does).")
        }
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw DevelopmentIdentityError(.fileSystem, path: path, "The development signing key \(path) could not be read.")
        }

        let key: RSAPrivateKey
        do {
            key = try RSAPrivateKey(pem: Array(contents))
        } catch {
            throw DevelopmentIdentityError(.invalidKey, path: path, "The file \(path) is not a PEM RSA private key: \(error)")
        }
        return try DevelopmentIdentity(privateKey: key)
    }

    /// Loads the key in `directory`, or creates one there when there is none.
    public static func loadOrCreate(in directory: String) throws(DevelopmentIdentityError) -> DevelopmentIdentity {
        FileManager.default.fileExists(atPath: keyPath(in: directory)) ? try load(from: directory) : try create(in: directory)
    }

    public static func keyPath(in directory: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(keyFileName).path
    }

    /// The public key as a JWK: `kty`, `use`, `kid`, `n` and `e`.
    public var publicJWK: [String: JSONValue] {
        ["kty": "RSA", "use": "sig", "kid": .string(keyID), "n": .string(Base64URL.encode(modulus)), "e": .string(Base64URL.encode(exponent))]
    }

    /// The `issuer` template Entra ID's v2 JWKS gives each key, which binds tokens to their tenant's issuer.
    public static let keyIssuerTemplate = "https://login.microsoftonline.com/{tenantid}/v2.0"

    /// Encodes the JWKS document with this identity's one key, as the service fetches it from `jwks_uri`.
    /// The key carries `issuer` as in Entra ID's v2 JWKS.
    public func jwksDocument() -> [UInt8] {
        var key = publicJWK
        key["issuer"] = .string(Self.keyIssuerTemplate)
        return JSONValue.encodeObject(["keys": [.object(key)]])
    }

    /// Parses `jwksDocument()` into the key set the service would build, for tests that skip the network.
    public func keySet() throws(DevelopmentIdentityError) -> JSONWebKeySet {
        do {
            return try JSONWebKeySet(jsonData: jwksDocument())
        } catch {
            throw DevelopmentIdentityError(.crypto, "The development JWKS did not parse: \(error)")
        }
    }

    /// Computes the RFC 7638 thumbprint of an RSA key: SHA-256 (OpenSSL's) over the JSON object
    /// `{"e":…,"kty":"RSA","n":…}` with members in that order and no whitespace, base64url-encoded.
    public static func thumbprint(modulus: [UInt8], exponent: [UInt8]) throws(OpenSSLError) -> String {
        let canonical = #"{"e":""# + Base64URL.encode(exponent) + #"","kty":"RSA","n":""# + Base64URL.encode(modulus) + #""}"#
        let input = Array(canonical.utf8)

        ERR_clear_error()
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var digestLength: UInt32 = 0
        guard EVP_Digest(input, input.count, &digest, &digestLength, EVP_sha256(), nil) == 1 else {
            throw OpenSSLError.fromErrorQueue(function: "EVP_Digest")
        }
        return Base64URL.encode(digest.prefix(Int(digestLength)))
    }
}
