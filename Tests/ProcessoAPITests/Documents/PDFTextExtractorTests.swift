import Foundation
import Testing

@testable import ProcessoAPI

@Suite struct PDFTextExtractorTests {
    /// Compares every page with `mutool draw -F txt` from the same MuPDF, after the same normalization.
    @Test(arguments: DocumentFixtures.Reference.allCases)
    func textMatchesMutool(document: DocumentFixtures.Reference) throws {
        let source = try document.url()

        let text = try DocumentFixtures.extractor().extract(path: source.path, fileName: source.lastPathComponent)

        let expected = DocumentFixtures.mutoolPages(try DocumentFixtures.mutoolText(of: source)).map(PageTextNormalizer.normalize)
        #expect(text.pageCount == expected.count, "\(document) has a different page count than mutool's output")
        for (index, page) in zip(text.pages.indices, expected) {
            #expect(
                text.pages[index].text == page,
                "\(document) page \(index + 1) differs from mutool's text: \(Self.firstDifference(text.pages[index].text, page))")
        }
        #expect(text.pages.contains(where: \.hasText) == document.hasTextLayer, "\(document) text layer")
    }

    @Test func sampleKeepsPortugueseAccents() throws {
        let text = try Self.wholeText(of: DocumentFixtures.mainSample)

        let words = ["Conceição", "São Paulo", "razões", "Réu", "Acácias", "Cível", "única", "três", "ônus", "TUTELA DE URGÊNCIA"]
        for word in words {
            #expect(text.contains(word), "the sample's text lacks \"\(word)\"")
        }
    }

    @Test func sampleHasThreePagesInOrder() throws {
        let document = try DocumentFixtures.extractor().extract(path: DocumentFixtures.mainSample.path, fileName: "processo.pdf")

        #expect(document.pageCount == 3)
        for (index, page) in document.pages.enumerated() {
            #expect(page.text.contains("Página \(index + 1) de 3"), "page \(index + 1) lacks its own footer")
            #expect(!page.text.contains("\u{0C}"), "page \(index + 1) contains a form feed")
        }
    }

    @Test func rotatedPageReadsInOrder() throws {
        let document = try DocumentFixtures.extractor().extract(path: try DocumentFixtures.fixture("pdfjs_rotation.pdf").path, fileName: "r")

        #expect(document.pages[0].text.contains("This is my first page with normal layout."))
        #expect(document.pages[1].text.contains("This is my second page.  It will have a landscape layout."))
        #expect(document.pages[1].text.contains("Second line here."))
    }

    @Test func ligaturesBecomeLetters() throws {
        let text = try Self.wholeText(of: try DocumentFixtures.fixture("pdfjs_copy_paste_ligatures.pdf"))

        #expect(text.contains("abcdeffffiflffifflststghijklmno"), "text: \(text)")
        #expect(!text.unicodeScalars.contains { (0xFB00...0xFB06).contains($0.value) }, "a ligature code point is left")
    }

    /// Words hyphenated at a line end stay hyphenated: see `PageTextNormalizer` for the reason.
    @Test func hyphenatedWordsStaySplit() throws {
        let text = try Self.wholeText(of: try DocumentFixtures.fixture("querido-diario-toolbox_multiple_columns.pdf"))

        #expect(text.contains("lança na próxi-\n"))
        #expect(text.contains("que será total-\nmente online"))
    }

    @Test func gazetteIsNFC() throws {
        let text = try Self.wholeText(of: try DocumentFixtures.fixture("querido-diario-toolbox_multiple_columns.pdf"))

        #expect(text == text.precomposedStringWithCanonicalMapping)
        #expect(text.contains("Indústria"))
    }

    @Test func repairedDocumentLogsWarnings() throws {
        let sink = LogSink.capture()
        let extractor = PDFTextExtractor(maxPages: 100, timeout: .seconds(60), logger: Logger(label: "documents", sink: sink))
        let source = try DocumentFixtures.fixture("pdfjs_xref_command_missing.pdf")

        let text = try extractor.extract(path: source.path, fileName: "broken.pdf")

        #expect(text.pages.map(\.text).joined().contains("Reduced test-case"))
        let line = try #require(sink.capturedLines.first { $0.contains("MuPDF reported problems") })
        #expect(line.contains("document.name=broken.pdf"))
        #expect(line.contains("mupdf.warnings="))
        #expect(!line.contains(source.deletingLastPathComponent().path), "the log line names the server path")
    }

    /// Describes where two texts first differ, with a few scalars of each from there.
    static func firstDifference(_ actual: String, _ expected: String) -> String {
        let left = Array(actual.unicodeScalars)
        let right = Array(expected.unicodeScalars)
        let offset = zip(left, right).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(left.count, right.count)
        func excerpt(_ scalars: [Unicode.Scalar]) -> String {
            scalars[offset..<min(scalars.count, offset + 12)].map { String(format: "U+%04X", $0.value) }.joined(separator: " ")
        }
        return "at scalar \(offset): extracted [\(excerpt(left))], mutool [\(excerpt(right))]"
    }

    static func wholeText(of url: URL) throws -> String {
        try DocumentFixtures.extractor().extract(path: url.path, fileName: url.lastPathComponent).pages.map(\.text).joined()
    }
}
