import Foundation

/// Turns the UTF-8 bytes MuPDF prints for a page into the text the service returns.
///
/// Three steps, in this order:
/// 1. Bytes that are not valid UTF-8 become U+FFFD, so a bad font mapping never makes the response
///    fail. MuPDF encodes whatever code point a font maps a glyph to, so a well-formed sequence for
///    an unpaired surrogate (`ED A0 80`) or a code point above U+10FFFF becomes one U+FFFD. A byte
///    that starts no sequence, or a sequence cut short, becomes one U+FFFD per byte.
/// 2. The Latin ligature code points U+FB00 to U+FB06 become their letters (`ﬁ` → `fi`, `ﬅ` → `st`),
///    the compatibility mapping Unicode gives them. MuPDF already expands the ligature glyphs it
///    recognises, so this catches fonts whose ToUnicode map names the ligature code point itself.
/// 3. The text is put in Unicode Normalization Form C, so `é` written as `e` plus U+0301 compares
///    equal to the precomposed `é` that most Portuguese text uses.
///
/// Words hyphenated at a line end are not joined. Portuguese writes compound words and enclitic
/// pronouns with a hyphen (`guarda-chuva`, `intime-se`), and a CNJ number can break after its `-`.
/// Removing a hyphen at a line end would corrupt those words while mending the others.
enum PageTextNormalizer {
    static func normalize(_ bytes: UnsafeRawBufferPointer) -> String {
        normalize(decode(bytes))
    }

    /// Decodes UTF-8, replacing what is not valid as step 1 describes.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        if let valid = String(validating: bytes, as: UTF8.self) {
            return valid
        }
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            let minimum: UInt32
            switch lead {
            case 0..<0x80:
                length = 1
                minimum = 0
            case 0xC0...0xDF:
                length = 2
                minimum = 0x80
            case 0xE0...0xEF:
                length = 3
                minimum = 0x800
            case 0xF0...0xF7:
                length = 4
                minimum = 0x1_0000
            default:
                length = 0
                minimum = 0
            }
            let end = index + length
            guard length > 0, end <= bytes.count, bytes[(index + 1)..<end].allSatisfy({ $0 & 0xC0 == 0x80 }) else {
                scalars.append(replacement)
                index += 1
                continue
            }
            var value = UInt32(lead) & (length == 1 ? 0x7F : 0xFF >> (length + 1))
            for byte in bytes[(index + 1)..<end] {
                value = value << 6 | UInt32(byte & 0x3F)
            }
            // Overlong forms, surrogates and values above U+10FFFF have no Unicode.Scalar.
            scalars.append(value >= minimum ? Unicode.Scalar(value) ?? replacement : replacement)
            index = end
        }
        return String(scalars)
    }

    static let replacement = Unicode.Scalar(0xFFFD)!

    static func normalize(_ text: String) -> String {
        var expanded = String.UnicodeScalarView()
        var changed = false
        for scalar in text.unicodeScalars {
            if let letters = ligatureLetters[scalar.value] {
                expanded.append(contentsOf: letters.unicodeScalars)
                changed = true
            } else {
                expanded.append(scalar)
            }
        }
        let result = changed ? String(expanded) : text
        return result.precomposedStringWithCanonicalMapping
    }

    /// The Unicode compatibility decompositions of the Latin ligatures in the Alphabetic Presentation
    /// Forms block, with U+017F LATIN SMALL LETTER LONG S written as `s`.
    static let ligatureLetters: [UInt32: String] = [
        0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st", 0xFB06: "st",
    ]
}
