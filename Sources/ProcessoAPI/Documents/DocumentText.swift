/// The extracted text of one PDF, page by page, as the text cache stores it.
public struct DocumentText: Sendable, Equatable {
    /// One page's text with what the response builder needs to know about it.
    public struct Page: Sendable, Equatable {
        /// The page's text after `PageTextNormalizer`, ending with MuPDF's blank line after its last block.
        public let text: String
        /// The bytes `text` takes inside a JSON string, at most: see `JSONStringLength`.
        public let jsonLength: Int
        /// Whether the page has any character other than white space. A scanned page has none.
        public let hasText: Bool

        public init(text: String) {
            self.text = text
            self.jsonLength = JSONStringLength.maximumEncodedLength(of: text)
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

    /// The memory the text takes, counted as its UTF-8 bytes, which is what the cache bound limits.
    public var byteCount: Int {
        pages.reduce(0) { $0 + $1.text.utf8.count }
    }
}

/// The length of a string once `JSONEncoder` writes it, without the surrounding quotes.
enum JSONStringLength {
    /// Returns an upper bound of the encoded length: `"` and `\` take 2 bytes, other control
    /// characters at most 6 (`\u001F`), and every other UTF-8 byte 1. `JSONEncoder` writes `\n`, `\t`
    /// and a few more in 2 bytes, so the bound can exceed the real length but never falls short.
    static func maximumEncodedLength(of text: some StringProtocol) -> Int {
        var length = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): length += 2
            case 0..<0x20: length += 6
            default: length += 1
            }
        }
        return length
    }
}
