import Foundation

/// The body of a `/getprocessdetails` response: the text of a range of pages, cut to fit a size limit.
///
/// Pages are added whole while the JSON body stays within the limit. When the first page alone is
/// too large, it is cut at a character boundary, so no UTF-8 sequence and no accented letter is
/// split. A cut sets `truncated` and, when pages remain, `next_page`, where the client continues.
///
/// The body is written by hand from each page's escaped text, so a warm request copies bytes
/// instead of encoding the text again, and its size is known exactly before it is written.
public struct PagedText: Sendable, Equatable {
    /// The CNJ number, formatted; absent for the default document.
    public let process: String?
    public let pageCount: Int
    /// The pages returned, `FROM-TO`.
    public let pages: String
    /// The returned text, escaped for a JSON string, without the quotes.
    let escapedText: [UInt8]
    public let truncated: Bool
    /// The first page not returned, present only when `truncated` is true and pages remain.
    public let nextPage: Int?
    /// Returned pages that have no text, such as scanned pages; absent when there are none.
    public let pagesWithoutText: [Int]?

    /// Builds the body for `range`, which must lie within the document, so that `jsonBody()` has at
    /// most `maxBytes` bytes.
    ///
    /// NOTE: when one page alone exceeds the limit, the rest of that page cannot be requested. With the
    /// default limit of 400 000 bytes, that takes a page of more than about 390 000 characters.
    public init(document: DocumentText, range: PageRange, process: String?, maxBytes: Int) {
        let budget = maxBytes - Self.overhead(process: process, pageCount: document.pageCount)

        var last = range.first - 1
        var used = 0
        for number in range.first...range.last {
            let page = document.pages[number - 1]
            let cost = page.escapedText.count + (page.hasText ? 0 : String(number).utf8.count + 1)
            guard used + cost <= budget else { break }
            used += cost
            last = number
        }

        var escapedText: [UInt8] = []
        var isPageCut = false
        if last >= range.first {
            escapedText.reserveCapacity(used)
            for page in document.pages[(range.first - 1)..<last] {
                escapedText += page.escapedText
            }
        } else {
            last = range.first
            escapedText = Self.escapedPrefix(of: document.pages[range.first - 1].text, maxLength: budget)
            isPageCut = true
        }
        let truncated = isPageCut || last < range.last
        let withoutText = (range.first...last).filter { !document.pages[$0 - 1].hasText }

        self.init(
            process: process, pageCount: document.pageCount, pages: "\(range.first)-\(last)", escapedText: escapedText,
            truncated: truncated, nextPage: truncated && last < range.last ? last + 1 : nil,
            pagesWithoutText: withoutText.isEmpty ? nil : withoutText)
    }

    /// The returned text, decoded again; for tests and logs, since responses use `jsonBody()`.
    public var text: String {
        let quoted = Data([UInt8(ascii: "\"")] + escapedText + [UInt8(ascii: "\"")])
        return (try? JSONDecoder().decode(String.self, from: quoted)) ?? ""
    }

    /// Writes the JSON object with its keys in sorted order, as `Response.json` writes other bodies:
    /// `next_page`, `page_count`, `pages`, `pages_without_text`, `process`, `text`, `truncated`.
    /// Absent optional fields are left out.
    public func jsonBody() -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(escapedText.count + 200)
        body += Array("{".utf8)
        if let nextPage {
            body += Array("\"next_page\":\(nextPage),".utf8)
        }
        body += Array("\"page_count\":\(pageCount),\"pages\":\"".utf8) + JSONStringEscaping.escape(pages) + Array("\",".utf8)
        if let pagesWithoutText {
            body += Array("\"pages_without_text\":[\(pagesWithoutText.map(String.init).joined(separator: ","))],".utf8)
        }
        if let process {
            body += Array("\"process\":\"".utf8) + JSONStringEscaping.escape(process) + Array("\",".utf8)
        }
        body += Array("\"text\":\"".utf8)
        body += escapedText
        body += Array("\",\"truncated\":\(truncated)}".utf8)
        return body
    }

    /// Returns the bytes of a body with empty text and the widest values of the other fields, plus
    /// room for an empty `pages_without_text` list. Each listed page then costs its digits and a comma.
    static func overhead(process: String?, pageCount: Int) -> Int {
        PagedText(
            process: process, pageCount: pageCount, pages: "\(pageCount)-\(pageCount)", escapedText: [], truncated: true,
            nextPage: pageCount, pagesWithoutText: []
        ).jsonBody().count
    }

    /// Returns the escaped form of the longest prefix of `text`, in whole characters, that fits `maxLength`.
    static func escapedPrefix(of text: String, maxLength: Int) -> [UInt8] {
        var escaped: [UInt8] = []
        for character in text {
            let bytes = JSONStringEscaping.escape(String(character))
            guard escaped.count + bytes.count <= maxLength else { break }
            escaped += bytes
        }
        return escaped
    }

    private init(
        process: String?, pageCount: Int, pages: String, escapedText: [UInt8], truncated: Bool, nextPage: Int?,
        pagesWithoutText: [Int]?
    ) {
        self.process = process
        self.pageCount = pageCount
        self.pages = pages
        self.escapedText = escapedText
        self.truncated = truncated
        self.nextPage = nextPage
        self.pagesWithoutText = pagesWithoutText
    }
}
