/// The body of a `/getprocessdetails` response: the text of a range of pages, cut to fit a size limit.
///
/// Pages are added whole while the encoded JSON body stays within the limit. When the first page alone
/// is too large, it is cut at a character boundary, so no UTF-8 sequence and no accented letter is
/// split. A cut sets `truncated` and, when pages remain, `next_page`, where the client continues.
public struct PagedText: Encodable, Sendable, Equatable {
    /// The CNJ number, formatted; absent for the default document.
    public let process: String?
    public let pageCount: Int
    /// The pages returned, `FROM-TO`.
    public let pages: String
    public let text: String
    public let truncated: Bool
    /// The first page not returned, present only when `truncated` is true and pages remain.
    public let nextPage: Int?
    /// Returned pages that have no text, such as scanned pages; absent when there are none.
    public let pagesWithoutText: [Int]?

    enum CodingKeys: String, CodingKey {
        case process, pages, text, truncated
        case pageCount = "page_count"
        case nextPage = "next_page"
        case pagesWithoutText = "pages_without_text"
    }

    /// Builds the body for `range`, which must lie within the document, so that it encodes to at most
    /// `maxBytes` bytes of JSON.
    ///
    /// NOTE: when one page alone exceeds the limit, the rest of that page cannot be requested. With the
    /// default limit of 400 000 bytes, that takes a page of more than about 390 000 characters.
    public init(document: DocumentText, range: PageRange, process: String?, maxBytes: Int) {
        let budget = maxBytes - Self.overhead(process: process, pageCount: document.pageCount)

        var last = range.first - 1
        var used = 0
        for number in range.first...range.last {
            let page = document.pages[number - 1]
            let cost = page.jsonLength + (page.hasText ? 0 : String(number).utf8.count + 1)
            guard used + cost <= budget else { break }
            used += cost
            last = number
        }

        let text: String
        var isPageCut = false
        if last >= range.first {
            text = document.pages[(range.first - 1)..<last].map(\.text).joined()
        } else {
            last = range.first
            text = Self.prefix(of: document.pages[range.first - 1].text, maxJSONLength: budget)
            isPageCut = true
        }
        let truncated = isPageCut || last < range.last
        let withoutText = (range.first...last).filter { !document.pages[$0 - 1].hasText }

        self.process = process
        self.pageCount = document.pageCount
        self.pages = "\(range.first)-\(last)"
        self.text = text
        self.truncated = truncated
        self.nextPage = truncated && last < range.last ? last + 1 : nil
        self.pagesWithoutText = withoutText.isEmpty ? nil : withoutText
    }

    /// Returns the bytes of a body with empty text and the widest values of the other fields, plus
    /// room for an empty `pages_without_text` list. Each listed page then costs its digits and a comma.
    static func overhead(process: String?, pageCount: Int) -> Int {
        let widest = PagedText(
            process: process, pageCount: pageCount, pages: "\(pageCount)-\(pageCount)", text: "", truncated: true,
            nextPage: pageCount, pagesWithoutText: [])
        return (try? JSONCoding.encoder.encode(widest).count) ?? 0
    }

    /// Returns the longest prefix of `text`, in whole characters, whose JSON encoding fits `maxJSONLength`.
    static func prefix(of text: String, maxJSONLength: Int) -> String {
        var length = 0
        var end = text.startIndex
        for index in text.indices {
            let characterLength = JSONStringLength.maximumEncodedLength(of: String(text[index]))
            guard length + characterLength <= maxJSONLength else { break }
            length += characterLength
            end = text.index(after: index)
        }
        return String(text[..<end])
    }

    private init(
        process: String?, pageCount: Int, pages: String, text: String, truncated: Bool, nextPage: Int?, pagesWithoutText: [Int]?
    ) {
        self.process = process
        self.pageCount = pageCount
        self.pages = pages
        self.text = text
        self.truncated = truncated
        self.nextPage = nextPage
        self.pagesWithoutText = pagesWithoutText
    }
}
