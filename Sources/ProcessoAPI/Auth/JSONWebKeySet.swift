import Foundation

/// An immutable snapshot of signing keys by `kid`, parsed from a JWKS document (RFC 7517 section 5).
///
/// Keys are built into OpenSSL objects once, here, so request threads only look them up.
public struct JSONWebKeySet: Sendable {
    /// A JWKS entry left out of the set, and why; logged so that an operator can see what was ignored.
    public struct SkippedKey: Sendable, Equatable {
        /// The entry's `kid`, when it has a string one.
        public var keyID: String?
        public var reason: String
    }

    /// The smallest accepted modulus, in bits.
    public static let minimumKeyBits = 2048

    /// The usable keys by `kid`.
    public let keys: [String: RSAPublicKey]
    /// The entries that were not usable, in document order.
    public let skippedKeys: [SkippedKey]
    /// The `issuer` of each key that has one, by `kid`: a template such as
    /// `https://login.microsoftonline.com/{tenantid}/v2.0` that binds the key to that issuer.
    public let issuers: [String: String]

    /// A set with no keys, which accepts no token.
    public static let empty = JSONWebKeySet(keys: [:])

    public init(keys: [String: RSAPublicKey], skippedKeys: [SkippedKey] = [], issuers: [String: String] = [:]) {
        self.keys = keys
        self.skippedKeys = skippedKeys
        self.issuers = issuers
    }

    /// Parses a JWKS document, keeping the RSA signing keys of at least 2048 bits that have a `kid`.
    ///
    /// An entry is skipped when it has no string `kid` or its `kty` is not `RSA`. It is also skipped
    /// when its `use` is present and not `sig`, its `alg` is present and not `RS256`, its `key_ops` is
    /// present without `verify`, or its `issuer` is present and not a non-empty string. Last, its `n`
    /// and `e` must be valid base64url, `e` odd and at least 3, and the modulus at least
    /// `minimumKeyBits` long and free of the ROCA fingerprint. When two entries share a `kid`, neither is kept, because a token naming
    /// that `kid` could mean either key.
    ///
    /// - Throws: `JSONWebKeySetError` when the document is not a JSON object with a `keys` array.
    public init(jsonData: some Collection<UInt8>) throws(JSONWebKeySetError) {
        let entries: [Any]
        do {
            let document = try JSONSerialization.jsonObject(with: Data(jsonData))
            guard let object = document as? [String: Any], let keys = object["keys"] as? [Any] else {
                throw JSONWebKeySetError("The JWKS document is not a JSON object with a keys array.")
            }
            entries = keys
        } catch let error as JSONWebKeySetError {
            throw error
        } catch {
            throw JSONWebKeySetError("The JWKS document is not valid JSON: \(error.localizedDescription)")
        }

        var keys: [String: RSAPublicKey] = [:]
        var skipped: [SkippedKey] = []
        var issuers: [String: String] = [:]
        var duplicateKeyIDs = Set<String>()
        for entry in entries {
            let object = entry as? [String: Any] ?? [:]
            let keyID = object["kid"] as? String
            switch Self.makeKey(object) {
            case .success(let key):
                guard let keyID else { preconditionFailure("makeKey accepts only entries with a kid") }
                if duplicateKeyIDs.contains(keyID) {
                    skipped.append(SkippedKey(keyID: keyID, reason: "another key has the same kid"))
                } else if keys[keyID] == nil {
                    keys[keyID] = key
                    issuers[keyID] = object["issuer"] as? String
                } else {
                    keys[keyID] = nil
                    issuers[keyID] = nil
                    duplicateKeyIDs.insert(keyID)
                    skipped.append(SkippedKey(keyID: keyID, reason: "another key has the same kid"))
                }
            case .failure(let reason):
                skipped.append(SkippedKey(keyID: keyID, reason: reason.message))
            }
        }
        self.init(keys: keys, skippedKeys: skipped, issuers: issuers)
    }

    /// Returns the `issuer` template the key `keyID` is published for, or nil when it names none.
    public func issuer(keyID: String) -> String? {
        issuers[keyID]
    }

    /// Returns the key with this `kid`, or nil. There is no default key.
    public subscript(keyID: String) -> RSAPublicKey? {
        keys[keyID]
    }

    /// The key ids in sorted order, for logs and readiness detail.
    public var keyIDs: [String] {
        keys.keys.sorted()
    }

    public var isEmpty: Bool {
        keys.isEmpty
    }

    /// The readiness sentence for a loaded set, such as "2 signing keys are loaded."
    var loadedKeysDescription: String {
        keys.count == 1 ? "1 signing key is loaded." : "\(keys.count) signing keys are loaded."
    }

    /// Applies the entry rules to one JWK and builds its key.
    private static func makeKey(_ entry: [String: Any]) -> Result<RSAPublicKey, JSONWebKeySetError> {
        guard let keyID = entry["kid"] as? String, !keyID.isEmpty else {
            return .failure(JSONWebKeySetError("it has no kid"))
        }
        guard entry["kty"] as? String == "RSA" else {
            return .failure(JSONWebKeySetError("its kty is not RSA"))
        }
        if entry["use"] != nil, entry["use"] as? String != "sig" {
            return .failure(JSONWebKeySetError("its use is not sig"))
        }
        if entry["alg"] != nil, entry["alg"] as? String != "RS256" {
            return .failure(JSONWebKeySetError("its alg is not RS256"))
        }
        if entry["issuer"] != nil, (entry["issuer"] as? String)?.isEmpty != false {
            return .failure(JSONWebKeySetError("its issuer is not a non-empty string"))
        }
        guard let modulusText = entry["n"] as? String, let modulus = try? Base64URL.decode(modulusText),
            let exponentText = entry["e"] as? String, let exponent = try? Base64URL.decode(exponentText)
        else {
            return .failure(JSONWebKeySetError("its n or e is missing or not base64url"))
        }

        if let operations = entry["key_ops"], !((operations as? [String])?.contains("verify") ?? false) {
            return .failure(JSONWebKeySetError("its key_ops does not list verify"))
        }
        // e = 1 makes every "signature" its own message, and an even e is not a valid RSA exponent.
        let significantExponent = exponent.drop { $0 == 0 }
        guard let lastByte = significantExponent.last, lastByte & 1 == 1, significantExponent.count > 1 || lastByte >= 3 else {
            return .failure(JSONWebKeySetError("its public exponent e is not an odd number of at least 3"))
        }

        let key: RSAPublicKey
        do {
            key = try RSAPublicKey(modulus: modulus, exponent: exponent)
        } catch {
            return .failure(JSONWebKeySetError("OpenSSL rejected it: \(error)"))
        }
        guard key.bitCount >= minimumKeyBits else {
            return .failure(JSONWebKeySetError("its modulus has \(key.bitCount) bits, fewer than \(minimumKeyBits)"))
        }
        guard !ROCAFingerprint.matches(modulus: modulus) else {
            return .failure(JSONWebKeySetError("its modulus has the ROCA weakness (CVE-2017-15361), so it can be factored"))
        }
        return .success(key)
    }
}

/// A JWKS document that cannot be used, or the reason one of its entries was skipped.
public struct JSONWebKeySetError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
