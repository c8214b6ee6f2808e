import Foundation
import Testing

@testable import ProcessoAPI

@Suite struct PagedTextTests {
    /// Returns a document of `count` pages of about `pageBytes` bytes each, with accents, quotes and
    /// line breaks so that the JSON escaping matters.
    static func document(pages count: Int, pageBytes: Int) -> DocumentText {
        let line = "Fls. \"autos\" — ação de cobrança, réu citado.\n"
        return DocumentText(
            pages: (1...count).map { number in
                let body = String(repeating: line, count: max(1, pageBytes / line.utf8.count))
                return DocumentText.Page(text: "Página \(number)\n" + body + "\n")
            })
    }

    static func encodedSize(_ body: PagedText) throws -> Int {
        body.jsonBody().count
    }

    /// Pages through 300 pages the way an agent does, following `next_page`, and gets every page
    /// exactly once with each body under the limit.
    @Test func agentPagesThroughThreeHundredPages() throws {
        let document = Self.document(pages: 300, pageBytes: 6000)
        let limit = 400_000
        var next: Int? = 1
        var collected = ""
        var responses = 0
        while let first = next {
            let body = PagedText(document: document, range: PageRange(first: first, last: 300), process: "x", maxBytes: limit)
            responses += 1
            #expect(try Self.encodedSize(body) <= limit, "response \(responses) is over the limit")
            #expect(body.pages.hasPrefix("\(first)-"))
            #expect(body.pageCount == 300)
            collected += body.text
            next = body.nextPage
            #expect(body.truncated == (next != nil))
            try #require(responses < 20, "paging does not end")
        }

        #expect(collected == document.pages.map(\.text).joined())
        #expect(responses > 1, "the test document fits one response, so it tests nothing")
    }

    @Test func wholeRangeFitsWithoutTruncation() throws {
        let document = Self.document(pages: 3, pageBytes: 1000)

        let body = PagedText(document: document, range: PageRange(first: 1, last: 3), process: nil, maxBytes: 400_000)

        #expect(body.pages == "1-3")
        #expect(!body.truncated)
        #expect(body.nextPage == nil)
        #expect(body.process == nil)
        let json = String(decoding: body.jsonBody(), as: UTF8.self)
        #expect(!json.contains("next_page"))
        #expect(!json.contains("process"))
    }

    @Test func cutFallsOnPageBoundary() throws {
        let document = Self.document(pages: 10, pageBytes: 5000)

        let body = PagedText(document: document, range: PageRange(first: 2, last: 10), process: nil, maxBytes: 20_000)

        #expect(body.truncated)
        let pages = body.pages.split(separator: "-").compactMap { Int($0) }
        let last = try #require(pages.last)
        #expect(body.nextPage == last + 1)
        #expect(body.text == document.pages[1..<last].map(\.text).joined())
        #expect(try Self.encodedSize(body) <= 20_000)
    }

    /// One page over the limit is cut inside the page, between characters: the text stays valid UTF-8,
    /// keeps `ç` and `ã` whole, and is a prefix of the page.
    @Test func oversizedPageCutsAtCharacter() throws {
        let page = String(repeating: "ação çã ", count: 6000)
        let document = DocumentText(pages: [DocumentText.Page(text: page), DocumentText.Page(text: "fim\n")])
        let limit = 20_000

        let body = PagedText(document: document, range: PageRange(first: 1, last: 2), process: nil, maxBytes: limit)

        #expect(body.truncated)
        #expect(body.pages == "1-1")
        #expect(body.nextPage == 2)
        #expect(page.hasPrefix(body.text))
        #expect(body.text.utf8.count > limit - 500, "the cut wastes too much of the limit")
        let encoded = Data(body.jsonBody())
        #expect(encoded.count <= limit)
        #expect(String(validating: Array(encoded), as: UTF8.self) != nil)
        #expect(try JSONDecoder().decode([String: AnyDecodable].self, from: encoded).isEmpty == false)
    }

    /// Every control character, quotes, backslash, slash and non-ASCII text survive the hand-written
    /// escaping, and the body parses as the object `Response.json` would write.
    @Test func bodyRoundTripsThroughJSON() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        let page = "\(controls) \"aspas\" \\ barra/ ação 📄 \u{2028}\n"
        let document = DocumentText(pages: [DocumentText.Page(text: page), DocumentText.Page(text: " \n")])

        let body = PagedText(document: document, range: PageRange(first: 1, last: 2), process: "1012345-35.2024.8.26.0100", maxBytes: 400_000)

        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.jsonBody())) as? [String: Any])
        #expect(object["text"] as? String == page + " \n")
        #expect(object["process"] as? String == "1012345-35.2024.8.26.0100")
        #expect(object["page_count"] as? Int == 2)
        #expect(object["pages"] as? String == "1-2")
        #expect(object["truncated"] as? Bool == false)
        #expect(object["pages_without_text"] as? [Int] == [2])
        #expect(object["next_page"] == nil)
        #expect(body.text == page + " \n")
    }

    @Test func lastOversizedPageHasNoNextPage() {
        let document = DocumentText(pages: [DocumentText.Page(text: String(repeating: "é", count: 30_000))])

        let body = PagedText(document: document, range: PageRange(first: 1, last: 1), process: nil, maxBytes: 20_000)

        #expect(body.truncated)
        #expect(body.nextPage == nil)
    }

    @Test func listsPagesWithoutText() {
        let document = DocumentText(pages: ["um\n", " \n", "três\n", "\n"].map(DocumentText.Page.init(text:)))

        let body = PagedText(document: document, range: PageRange(first: 2, last: 4), process: nil, maxBytes: 400_000)

        #expect(body.pagesWithoutText == [2, 4])
    }

    struct RangeCase: Sendable, CustomTestStringConvertible {
        var text: String
        var expected: PageRange?

        var testDescription: String { text.debugDescription }
    }

    static let rangeCases: [RangeCase] = [
        RangeCase(text: "1-20", expected: PageRange(first: 1, last: 20)),
        RangeCase(text: "5", expected: PageRange(first: 5, last: 5)),
        RangeCase(text: "7-7", expected: PageRange(first: 7, last: 7)),
        RangeCase(text: "0", expected: nil),
        RangeCase(text: "0-3", expected: nil),
        RangeCase(text: "5-2", expected: nil),
        RangeCase(text: "", expected: nil),
        RangeCase(text: "-3", expected: nil),
        RangeCase(text: "3-", expected: nil),
        RangeCase(text: "1-2-3", expected: nil),
        RangeCase(text: "a-b", expected: nil),
        RangeCase(text: " 1-2", expected: nil),
        RangeCase(text: "+1", expected: nil),
        RangeCase(text: "99999999999999999999", expected: nil),
    ]

    @Test(arguments: rangeCases)
    func parsesPageRange(_ testCase: RangeCase) {
        let parsed = try? PageRange(parsing: testCase.text)

        #expect(parsed == testCase.expected)
    }

    @Test func clampsRangeToPageCount() throws {
        #expect(try PageRange(first: 2, last: 1000).clamped(toPageCount: 14) == PageRange(first: 2, last: 14))
        #expect(throws: HTTPError.self) { try PageRange(first: 15, last: 20).clamped(toPageCount: 14) }
    }
}

/// Decodes any JSON value, to check that a body parses.
struct AnyDecodable: Decodable {
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if (try? container.decode(String.self)) != nil || (try? container.decode(Int.self)) != nil
            || (try? container.decode(Bool.self)) != nil || (try? container.decode([Int].self)) != nil
        {
            return
        }
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "unexpected value")
    }
}
