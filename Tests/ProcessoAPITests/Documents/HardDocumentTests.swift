import Foundation
import Testing

@testable import ProcessoAPI

/// Real PDFs that are encrypted, damaged, scanned or too large, each with the response it must get.
@Suite struct HardDocumentTests {
    let folder: URL

    init() throws {
        folder = try DocumentFixtures.makeScratchFolder()
    }

    /// Copies a fixture into the scratch folder as `name` and returns the name.
    func stage(_ fixture: String, as name: String? = nil) throws -> String {
        let name = name ?? fixture
        try DocumentFixtures.stage(try DocumentFixtures.fixture(fixture), as: name, in: folder)
        return name
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    @Test func aes128EmptyPasswordIsRead() throws {
        defer { remove() }
        let name = try stage("pdfjs_bug1815476.pdf")

        let document = try DocumentFixtures.library(folder).document(named: name)

        #expect(document.pages[0].text.contains("A N E X O"))
        #expect(document.pages[0].text.contains("con número de D.N.I."))
    }

    @Test func aes256EmptyPasswordIsRead() throws {
        defer { remove() }
        let name = try stage("pdfjs_issue7665.pdf")

        let document = try DocumentFixtures.library(folder).document(named: name)

        #expect(document.pages[0].text.contains("Issue 7665"))
    }

    @Test func userPasswordIsRejected() throws {
        defer { remove() }
        let name = try stage("password-protected.pdf")

        let error = try #require(throws: DocumentError.self) { try DocumentFixtures.library(folder).document(named: name) }

        #expect(error.kind == .unreadable)
        #expect(error.message == "The document is protected by a password, so its text cannot be read.")
    }

    @Test func brokenCrossReferenceIsRepaired() throws {
        defer { remove() }
        let name = try stage("pdfjs_xref_command_missing.pdf")

        let document = try DocumentFixtures.library(folder).document(named: name)

        #expect(document.pages.map(\.text).joined().contains("Reduced test-case"))
    }

    @Test func scannedDocumentNeedsOCR() throws {
        defer { remove() }
        let name = try stage("pdfjs_issue7229.pdf")

        let error = try #require(throws: DocumentError.self) { try DocumentFixtures.library(folder).document(named: name) }

        #expect(error.kind == .noTextLayer)
        #expect(error.message.contains("no text layer"), "message: \(error.message)")
        #expect(error.message.contains("OCR"), "message: \(error.message)")
    }

    @Test func partlyScannedDocumentListsPages() throws {
        defer { remove() }
        let name = try stage("partial-text-layer.pdf")

        let document = try DocumentFixtures.library(folder).document(named: name)

        #expect(document.pageCount == 2)
        #expect(document.pagesWithoutText == [2])
        #expect(document.pages[0].text.contains("TRIBUNAL DE JUSTIÇA"))
    }

    @Test func fileOverSizeLimitIsTooLarge() throws {
        defer { remove() }
        let name = try stage("pdfjs_tracemonkey.pdf")
        let library = DocumentFixtures.library(folder) { $0.maxDocumentBytes = 1_000_000 }

        let error = try #require(throws: DocumentError.self) { try library.document(named: name) }

        #expect(error.kind == .tooLarge)
        #expect(error.message == "The document is 1016315 bytes, more than the limit of 1000000 bytes this service reads.")
    }

    @Test func pageCountOverLimitIsTooLarge() throws {
        defer { remove() }
        let name = try stage("pdfjs_tracemonkey.pdf")
        let library = DocumentFixtures.library(folder) { $0.maxPages = 10 }

        let error = try #require(throws: DocumentError.self) { try library.document(named: name) }

        #expect(error.kind == .tooLarge)
        #expect(error.message == "The document has 14 pages, more than the limit of 10 this service reads.")
    }

    /// A zero timeout fires while the first page runs or before it starts; either way MuPDF stops.
    @Test func extractionOverTimeLimitTimesOut() throws {
        defer { remove() }
        let source = try DocumentFixtures.fixture("pdfjs_tracemonkey.pdf")
        let extractor = DocumentFixtures.extractor(timeout: .zero)

        let error = try #require(throws: DocumentError.self) { try extractor.extract(path: source.path, fileName: "slow.pdf") }

        #expect(error.kind == .timedOut)
        #expect(error.message.contains("took longer than the limit"), "message: \(error.message)")
    }

    /// An aborted cookie makes the shim stop a page and return no text, which is how the timer ends a
    /// page that MuPDF is still interpreting.
    @Test func abortedCookieStopsPage() throws {
        defer { remove() }
        let document = try MuPDFDocument(path: try DocumentFixtures.fixture("pdfjs_tracemonkey.pdf").path)
        let cookie = try #require(MuPDFCookie())
        #expect(!cookie.isAborted)

        cookie.abort()

        #expect(cookie.isAborted)
        let error = try #require(throws: MuPDFError.self) { try document.text(ofPage: 0, cookie: cookie) }
        #expect(error.reason == .aborted)
        #expect(try document.text(ofPage: 0, cookie: try #require(MuPDFCookie())).contains("Trace-based"))
    }
}
