import Foundation

/// A compact JWS (RFC 7515 section 7.1) split into its three base64url segments and decoded.
///
/// Only the split and the decoding happen here; what the header and payload mean is checked by
/// `TokenValidator`, and the signature by `RSAPublicKey`.
struct CompactJWS {
    /// The decoded JOSE header, JSON text.
    let header: [UInt8]
    /// The decoded payload, JSON text for a JWT.
    let payload: [UInt8]
    let signature: [UInt8]
    /// The bytes the signature covers: the token's own ASCII text `header.payload`, not a re-encoding.
    let signingInput: ArraySlice<UInt8>

    /// The decoder for headers and claims, made once rather than per request.
    static let jsonDecoder = JSONDecoder()

    /// Splits and decodes `token`, which must be at most `maxBytes` long before any decoding.
    init(parsing token: some StringProtocol, maxBytes: Int) throws(AuthError) {
        let bytes = Array(token.utf8)
        guard bytes.count <= maxBytes else {
            throw AuthError(.invalidToken, .tokenTooLarge, "The token is larger than \(maxBytes) bytes.")
        }

        let segments = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard segments.count == 3 else {
            throw AuthError(.invalidToken, .malformedToken, "The token is not a compact JWS: it must have exactly three dot-separated segments.")
        }

        header = try Self.decode(segments[0], name: "header")
        payload = try Self.decode(segments[1], name: "payload")
        signature = try Self.decode(segments[2], name: "signature")
        signingInput = bytes[..<segments[1].endIndex]
    }

    private static func decode(_ segment: ArraySlice<UInt8>, name: String) throws(AuthError) -> [UInt8] {
        do {
            return try Base64URL.decode(utf8: segment)
        } catch {
            throw AuthError(.invalidToken, .malformedToken, "The token \(name) segment is not valid unpadded base64url.")
        }
    }
}
