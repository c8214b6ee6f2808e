import Foundation

/// The members of a token's JOSE header that validation reads.
///
/// `jku`, `x5u` and `jwk` are never read, so a token cannot point the service at a key of its choosing.
struct JOSEHeader: Decodable {
    var algorithm: String?
    var keyID: String?
    /// Whether the header has a `crit` member. No extension is supported, so any `crit` rejects the
    /// token; RFC 7515 section 4.1.11 also forbids an empty list.
    var hasCriticalMember: Bool
    /// Whether the header has a `nonce`, which Entra ID adds to Microsoft Graph access tokens only.
    var hasNonce: Bool

    /// The longest accepted `kid`. Entra ID's are 27 to 43 characters; the cap keeps logs readable.
    static let maxKeyIDLength = 256

    private enum CodingKeys: String, CodingKey {
        case algorithm = "alg"
        case keyID = "kid"
        case critical = "crit"
        case nonce
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        algorithm = try container.decodeIfPresent(String.self, forKey: .algorithm)
        keyID = try container.decodeIfPresent(String.self, forKey: .keyID)
        hasCriticalMember = container.contains(.critical)
        hasNonce = container.contains(.nonce)
    }

    /// Decodes the header and applies the header rules: no repeated member, no `nonce` (Microsoft
    /// Graph), `alg` exactly `RS256`, no `crit`, and a `kid` of printable ASCII.
    ///
    /// - Returns: The `kid` to look up among the signing keys.
    static func validatedKeyID(decoding bytes: [UInt8]) throws(AuthError) -> String {
        guard !JSONMembers.hasDuplicateTopLevelMember(bytes) else {
            throw AuthError(.invalidToken, .malformedHeader, "The token header names the same member more than once.")
        }
        let header: JOSEHeader
        do {
            header = try CompactJWS.jsonDecoder.decode(JOSEHeader.self, from: Data(bytes))
        } catch {
            throw AuthError(.invalidToken, .malformedHeader, "The token header is not a JSON object with a string alg and kid.")
        }

        // Graph access tokens carry a nonce that Graph alone can check; no other API can verify them.
        guard !header.hasNonce else {
            throw AuthError(
                .invalidToken, .graphToken,
                "The token was issued for Microsoft Graph, not for this API; request a token for this API's scope instead.")
        }

        // Exact, case-sensitive comparison: `none`, `None`, `HS256`, `RS384`, `PS256` and the rest are
        // all rejected, and there is no HMAC code path at all.
        guard header.algorithm == "RS256" else {
            throw AuthError(.invalidToken, .unsupportedAlgorithm, "The token signing algorithm is not accepted; only RS256 is.")
        }

        guard !header.hasCriticalMember else {
            throw AuthError(.invalidToken, .unsupportedCriticalHeader, "The token header lists critical extensions (crit), and none are supported.")
        }

        guard let keyID = header.keyID, !keyID.isEmpty else {
            throw AuthError(.invalidToken, .missingKeyID, "The token header has no kid, so no signing key can be chosen.")
        }
        guard keyID.utf8.count <= maxKeyIDLength, keyID.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw AuthError(
                .invalidToken, .malformedHeader, "The token kid is longer than \(maxKeyIDLength) characters or not printable ASCII.")
        }
        return keyID
    }
}
