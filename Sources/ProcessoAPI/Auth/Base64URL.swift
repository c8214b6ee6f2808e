/// The base64url encoding of RFC 4648 section 5 without padding, as JOSE uses it (RFC 7515 section 2).
///
/// Decoding is strict, so that each byte string has exactly one accepted text form: padding (`=`),
/// characters outside `A-Z a-z 0-9 - _`, a length that leaves one character over, and unused
/// trailing bits that are not zero are all rejected. Bad input throws and never decodes to empty bytes.
public enum Base64URL {
    /// The reason a string is not canonical unpadded base64url.
    public enum DecodingError: Error, Sendable, Equatable {
        /// The text is empty; JOSE has no empty segments.
        case empty
        /// The character at this offset is outside the base64url alphabet (padding included).
        case invalidCharacter(offset: Int)
        /// The text leaves a single character over, which cannot encode a whole byte.
        case invalidLength
        /// The last character carries bits that encoding would have set to zero.
        case nonCanonicalTrailingBits
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Each ASCII byte's 6-bit value, or 0xFF for bytes outside the alphabet.
    private static let sextets: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in alphabet.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        return table
    }()

    /// Encodes bytes as unpadded base64url text.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(group >> 18 & 0x3F)])
            output.append(alphabet[Int(group >> 12 & 0x3F)])
            if second != nil { output.append(alphabet[Int(group >> 6 & 0x3F)]) }
            if third != nil { output.append(alphabet[Int(group & 0x3F)]) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes canonical unpadded base64url text.
    public static func decode(_ text: some StringProtocol) throws(DecodingError) -> [UInt8] {
        try decode(utf8: Array(text.utf8))
    }

    /// Decodes canonical unpadded base64url given as ASCII bytes.
    public static func decode(utf8 text: some Collection<UInt8>) throws(DecodingError) -> [UInt8] {
        guard !text.isEmpty else { throw .empty }
        // 4n+1 characters would end in 6 bits, less than a byte, so no encoder produces them.
        guard text.count % 4 != 1 else { throw .invalidLength }

        var output: [UInt8] = []
        output.reserveCapacity(text.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bitCount = 0
        for (offset, character) in text.enumerated() {
            let value = sextets[Int(character)]
            guard value != 0xFF else { throw .invalidCharacter(offset: offset) }
            accumulator = accumulator << 6 | UInt32(value)
            bitCount += 6
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bitCount)))
                accumulator &= (1 << UInt32(bitCount)) - 1
            }
        }

        // The 2 or 4 bits left after the last whole byte must be zero in the canonical form.
        guard accumulator == 0 else { throw .nonCanonicalTrailingBits }
        return output
    }
}
