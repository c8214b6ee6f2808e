import Foundation

/// A JWKS as fetched: the parsed keys, the document's bytes for the cache file, and where it came from.
struct FetchedKeySet {
    var keys: JSONWebKeySet
    var document: [UInt8]
    var jwksURI: String
}

extension SigningKeyProvider {
    /// Fetches the tenant's JWKS once, in the calling thread, for tools that do not start the provider.
    public func fetchOnce() throws(SigningKeyError) -> JSONWebKeySet {
        try fetchKeySet().keys
    }

    /// Fetches the OpenID configuration, then the JWKS its `jwks_uri` names, and parses the keys.
    ///
    /// Both requests go through the same client, so both are HTTPS with certificate verification
    /// (plain HTTP only on loopback) and size-capped. A JWKS without a usable key is an error, so that
    /// a broken document never replaces good keys with none.
    func fetchKeySet() throws(SigningKeyError) -> FetchedKeySet {
        let metadata: [UInt8]
        do {
            metadata = try client.fetch(metadataURL)
        } catch {
            throw SigningKeyError(.metadataUnavailable, "Fetching the OpenID configuration failed: \(error)", httpError: error)
        }

        let keySetURL = try Self.jwksURI(fromMetadata: metadata, url: metadataURL)

        let document: [UInt8]
        do {
            document = try client.fetch(keySetURL)
        } catch {
            throw SigningKeyError(.keySetUnavailable, "Fetching the JWKS failed: \(error)", httpError: error)
        }

        let keys: JSONWebKeySet
        do {
            keys = try JSONWebKeySet(jsonData: document)
        } catch {
            throw SigningKeyError(.invalidKeySet, "The JWKS at \(keySetURL) is unusable: \(error.message)")
        }
        guard !keys.isEmpty else {
            let reasons = keys.skippedKeys.map { "\($0.keyID ?? "no kid"): \($0.reason)" }.joined(separator: "; ")
            throw SigningKeyError(.noUsableKeys, "The JWKS at \(keySetURL) has no usable RSA signing key (\(reasons)).")
        }
        return FetchedKeySet(keys: keys, document: document, jwksURI: keySetURL)
    }

    private static func jwksURI(fromMetadata metadata: [UInt8], url: String) throws(SigningKeyError) -> String {
        let document = try? JSONSerialization.jsonObject(with: Data(metadata))
        guard let object = document as? [String: Any], let jwksURI = object["jwks_uri"] as? String, !jwksURI.isEmpty else {
            throw SigningKeyError(.invalidMetadata, "The OpenID configuration at \(url) is not a JSON object with a jwks_uri string.")
        }
        return jwksURI
    }
}
