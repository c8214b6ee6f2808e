import Foundation
import Testing

@testable import ProcessoAPI

/// Names the library must reject or fail on, run against one staged folder:
///
///     scratch/outside.pdf          a real PDF one level above the documents folder
///     scratch/documents/           the documents folder
///         .hidden.pdf, sub/inner.pdf, folder.pdf/      real PDFs a path-like name could reach
///         not-a-pdf.pdf, empty.pdf, truncated.pdf, password-protected.pdf
@Suite struct DocumentLibraryErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var kind: DocumentError.Kind
        /// Words the client message must contain.
        var messageContains: String

        var testDescription: String { "\(name.debugDescription) → \(kind)" }
    }

    static let cases: [Case] = [
        Case(name: "missing.pdf", kind: .notFound, messageContains: "No document was found"),
        Case(name: "../outside.pdf", kind: .notFound, messageContains: "No document was found"),
        Case(name: "sub/inner.pdf", kind: .notFound, messageContains: "No document was found"),
        Case(name: ".hidden.pdf", kind: .notFound, messageContains: "No document was found"),
        Case(name: "", kind: .notFound, messageContains: "No document was found"),
        Case(name: ".", kind: .notFound, messageContains: "No document was found"),
        Case(name: "..", kind: .notFound, messageContains: "No document was found"),
        Case(name: "missing.pdf\0.pdf", kind: .notFound, messageContains: "No document was found"),
        Case(name: String(repeating: "a", count: 252) + ".pdf", kind: .notFound, messageContains: "No document was found"),
        Case(name: "folder.pdf", kind: .notFound, messageContains: "No document was found"),
        Case(name: "not-a-pdf.pdf", kind: .unreadable, messageContains: "not a PDF file"),
        Case(name: "empty.pdf", kind: .unreadable, messageContains: "not a PDF file"),
        Case(name: "truncated.pdf", kind: .unreadable, messageContains: "damaged or truncated"),
        Case(name: "password-protected.pdf", kind: .unreadable, messageContains: "password"),
    ]

    @Test(arguments: cases)
    func rejectsDocument(_ testCase: Case) throws {
        let scratch = try DocumentFixtures.makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let documents = try Self.stageDocuments(in: scratch)
        let library = DocumentFixtures.library(documents)

        let error = try #require(throws: DocumentError.self) {
            try library.document(named: testCase.name)
        }

        #expect(error.kind == testCase.kind)
        #expect(error.message.contains(testCase.messageContains), "message: \(error.message)")
        #expect(!error.message.contains(scratch.path), "the message names the server path: \(error.message)")
        #expect(!error.message.contains("/"), "the message looks like it contains a path: \(error.message)")
    }

    /// Root reads any file whatever its mode, so this case can only run as another user.
    @Test(.enabled(if: geteuid() != 0, "root bypasses file permissions"))
    func unreadableFileFails() throws {
        let scratch = try DocumentFixtures.makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        try DocumentFixtures.stage(DocumentFixtures.mainSample, as: "locked.pdf", in: scratch)
        let locked = scratch.appendingPathComponent("locked.pdf")
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: locked.path)
        let library = DocumentFixtures.library(scratch)

        let error = try #require(throws: DocumentError.self) {
            try library.document(named: "locked.pdf")
        }

        #expect(error.kind == .failed)
        #expect(error.message == "The server is not allowed to read the document.")
        #expect(error.underlying?.contains("Permission denied") == true, "underlying: \(error.underlying ?? "nil")")
    }

    @Test func notFoundKeepsPathForTheLog() throws {
        let library = DocumentFixtures.library(URL(fileURLWithPath: "/nonexistent-documents"))

        let error = try #require(throws: DocumentError.self) {
            try library.document(named: "processo.pdf")
        }

        #expect(error.kind == .notFound)
        #expect(error.underlying?.contains("/nonexistent-documents/processo.pdf") == true, "underlying: \(error.underlying ?? "nil")")
    }

    /// Builds the layout in the type's documentation and returns the documents folder.
    static func stageDocuments(in scratch: URL) throws -> URL {
        let documents = scratch.appendingPathComponent("documents")
        let manager = FileManager.default
        try manager.createDirectory(at: documents.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try manager.createDirectory(at: documents.appendingPathComponent("folder.pdf"), withIntermediateDirectories: true)
        try DocumentFixtures.stage(DocumentFixtures.secondSample, as: "outside.pdf", in: scratch)
        try DocumentFixtures.stage(DocumentFixtures.secondSample, as: ".hidden.pdf", in: documents)
        try DocumentFixtures.stage(DocumentFixtures.secondSample, as: "sub/inner.pdf", in: documents)
        try DocumentFixtures.stage(try DocumentFixtures.fixture("password-protected.pdf"), as: "password-protected.pdf", in: documents)

        try Data("This is plain text, not a PDF.\n".utf8).write(to: documents.appendingPathComponent("not-a-pdf.pdf"))
        try Data().write(to: documents.appendingPathComponent("empty.pdf"))
        // MuPDF repairs a PDF cut after its page objects and returns what is left, so the cut falls
        // inside the first objects, before the page tree is complete.
        let sample = try Data(contentsOf: DocumentFixtures.mainSample)
        try sample.prefix(200).write(to: documents.appendingPathComponent("truncated.pdf"))
        return documents
    }
}
