/// The extracted text of one PDF, page by page, as the text cache stores it.
public struct DocumentText: Sendable, Equatable {
    /// One page's text with what the response builder needs to know about it.
    public struct Page: Sendable, Equatable {
        /// The page's text after `PageTextNormalizer`, ending with MuPDF's blank line after its last block.
        public let text: String
        /// `text` escaped for a JSON string, without the quotes.
        public let escapedText: [UInt8]
        /// Whether the page has any character other than white space. A scanned page has none.
        public let hasText: Bool

        public init(text: String) {
            self.text = text
            self.escapedText = JSONStringEscaping.escape(text)
            self.hasText = text.unicodeScalars.contains { !$0.properties.isWhitespace }
        }
    }

    public let pages: [Page]

    public init(pages: [Page]) {
        self.pages = pages
    }

    public var pageCount: Int { pages.count }

    /// The 1-based numbers of the pages without text, in order.
    public var pagesWithoutText: [Int] {
        pages.indices.filter { !pages[$0].hasText }.map { $0 + 1 }
    }

    /// The memory the text takes, counted as the bytes of the text and of its escaped copy, which is
    /// what the cache bound limits.
    public var byteCount: Int {
        pages.reduce(0) { $0 + $1.text.utf8.count + $1.escapedText.count }
    }
}

/// JSON string escaping as RFC 8259 defines it, done once per page so that warm requests only copy
/// bytes.
enum JSONStringEscaping {
    /// Returns the UTF-8 bytes of `text` as they appear inside a JSON string, without the quotes.
    /// `"` and `\` get a backslash, and control characters become `\n`, `\t` and the like or `\u00XX`.
    /// Every other character, `/` and non-ASCII letters included, is copied as it is.
    static func escape(_ text: some StringProtocol) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x08: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0..<0x20: bytes += Array("\\u00".utf8) + [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]]
            default: bytes.append(byte)
            }
        }
        return bytes
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
