import Foundation
import Testing

@testable import ProcessoAPI

@Suite struct PDFTextExtractorTests {
    @Test(arguments: DocumentFixtures.Reference.allCases)
    func textMatchesMutool(document: DocumentFixtures.Reference) throws {
        let source = try document.url()
        let extractor = PDFTextExtractor(documentsDirectory: source.deletingLastPathComponent().path, logger: DocumentFixtures.quietLogger())

        let text = try extractor.text(ofDocumentNamed: source.lastPathComponent)

        let expected = DocumentFixtures.removingPageSeparators(try DocumentFixtures.mutoolText(of: source))
        #expect(!text.isEmpty, "\(document) gave no text")
        #expect(text == expected, "\(document) differs from mutool's text")
    }

    @Test func sampleKeepsPortugueseAccents() throws {
        let extractor = PDFTextExtractor(documentsDirectory: DocumentFixtures.samplesDirectory.path, logger: DocumentFixtures.quietLogger())

        let text = try extractor.text(ofDocumentNamed: "processo.pdf")

        let words = ["Conceição", "São Paulo", "razões", "Réu", "Acácias", "Cível", "única", "três", "ônus", "TUTELA DE URGÊNCIA"]
        for word in words {
            #expect(text.contains(word), "the sample's text lacks \"\(word)\"")
        }
    }

    @Test func sampleHasThreePagesInOrder() throws {
        let extractor = PDFTextExtractor(documentsDirectory: DocumentFixtures.samplesDirectory.path, logger: DocumentFixtures.quietLogger())

        let text = try extractor.text(ofDocumentNamed: "processo.pdf")

        let footers = ["Página 1 de 3", "Página 2 de 3", "Página 3 de 3"].map { text.range(of: $0)?.lowerBound }
        let positions = try footers.map { try #require($0, "a page footer is missing") }
        #expect(positions == positions.sorted())
        #expect(!text.contains("\u{0C}"), "the text contains a form feed")
    }

    @Test func sampleMentionsCNJNumbers() throws {
        let extractor = PDFTextExtractor(documentsDirectory: DocumentFixtures.samplesDirectory.path, logger: DocumentFixtures.quietLogger())

        let text = try extractor.text(ofDocumentNamed: "processo.pdf")

        for number in ["1012345-35.2024.8.26.0100", "1023456-16.2024.8.26.0100", "0000094-02.2024.8.26.0100"] {
            #expect(text.contains(number), "the sample does not mention \(number)")
            #expect(throws: Never.self, "\(number) is not a valid CNJ number") { try CNJNumber(number) }
        }
    }

    @Test func repairedDocumentLogsWarnings() throws {
        let folder = try DocumentFixtures.makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try DocumentFixtures.stage(try DocumentFixtures.fixture("pdfjs_xref_command_missing.pdf"), as: "broken.pdf", in: folder)
        let sink = LogSink.capture()
        let extractor = PDFTextExtractor(documentsDirectory: folder.path, logger: Logger(label: "documents", sink: sink))

        let text = try extractor.text(ofDocumentNamed: "broken.pdf")

        #expect(text.contains("Reduced test-case"))
        let line = try #require(sink.capturedLines.first { $0.contains("MuPDF reported problems") })
        #expect(line.contains("document.name=broken.pdf"))
        #expect(line.contains("mupdf.warnings="))
        #expect(!line.contains(folder.path), "the log line names the server path")
    }

    @Test func emptyUserPasswordDocumentIsRead() throws {
        let folder = try DocumentFixtures.makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try DocumentFixtures.stage(try DocumentFixtures.fixture("pdfjs_issue7665.pdf"), as: "encrypted.pdf", in: folder)
        let extractor = PDFTextExtractor(documentsDirectory: folder.path + "/", logger: DocumentFixtures.quietLogger())

        let text = try extractor.text(ofDocumentNamed: "encrypted.pdf")

        #expect(text.contains("Issue 7665"))
    }
}
