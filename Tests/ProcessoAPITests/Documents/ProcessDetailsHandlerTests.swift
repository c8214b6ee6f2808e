import Foundation
import Testing

@testable import ProcessoAPI

/// `/getprocessdetails` from the query to the JSON body, with MuPDF and real PDFs, and the HTTP status
/// of each document error.
@Suite struct ProcessDetailsHandlerTests {
    /// A 300-page case file under a process number of its own, generated once per test run.
    static let longCase: Result<(folder: URL, number: String), any Error> = Result {
        let folder = try DocumentFixtures.makeScratchFolder()
        let number = "0000300-16.2024.8.26.0100"
        try LongPDF.write(pages: 300, to: folder.appendingPathComponent(try CNJNumber(number).digits + ".pdf"))
        return (folder, number)
    }

    static func handler(_ folder: URL, maxResponseBytes: Int = 400_000) -> ProcessDetailsHandler {
        ProcessDetailsHandler(
            documents: DocumentFixtures.library(folder), registry: EmptyRegistry(), defaultDocument: "processo.pdf",
            maxResponseBytes: maxResponseBytes)
    }

    static func get(_ handler: ProcessDetailsHandler, _ query: String) throws -> [String: Any] {
        let request = Request(method: "GET", path: "/getprocessdetails", rawQuery: query, requestID: "test")
        let response = try handler.handle(RequestContext(request: request, query: try QueryParameters(parsing: query), principal: nil))
        #expect(response.status == .ok)
        #expect(response.body.count <= handler.maxResponseBytes, "\(query): the body is over the limit")
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    /// An agent requests the whole file and follows `next_page` until `truncated` is false.
    @Test func agentPagesThroughLongCaseFile() throws {
        let (folder, number) = try Self.longCase.get()
        let handler = Self.handler(folder)
        var query = "process=\(number)"
        var text = ""
        var responses = 0
        while true {
            let body = try Self.get(handler, query)
            responses += 1
            #expect(body["process"] as? String == number)
            #expect(body["page_count"] as? Int == 300)
            text += try #require(body["text"] as? String)
            guard body["truncated"] as? Bool == true else { break }
            let next = try #require(body["next_page"] as? Int)
            query = "process=\(number)&pages=\(next)-300"
            try #require(responses < 10, "paging does not end")
        }

        #expect(responses >= 2, "the long file fit one response, so paging was not tested")
        let expected = try DocumentFixtures.extractor().extract(path: folder.path + "/00003001620248260100.pdf", fileName: "long")
        #expect(text == expected.pages.map(\.text).joined())
        for page in [1, 150, 300] {
            #expect(text.contains("Folha \(page) de 300"), "page \(page) is missing")
        }
    }

    @Test func pagesParameterSelectsRange() throws {
        let (folder, number) = try Self.longCase.get()

        let body = try Self.get(Self.handler(folder), "process=\(number)&pages=10-12")

        #expect(body["pages"] as? String == "10-12")
        #expect(body["truncated"] as? Bool == false)
        #expect(body["next_page"] == nil)
        let text = try #require(body["text"] as? String)
        #expect(text.contains("Folha 10 de 300"))
        #expect(text.contains("Folha 12 de 300"))
        #expect(!text.contains("Folha 13 de 300"))
        #expect(!text.contains("Folha 9 de 300"))
    }

    @Test func singlePageAndClampedRange() throws {
        let (folder, number) = try Self.longCase.get()
        let handler = Self.handler(folder)

        #expect(try Self.get(handler, "process=\(number)&pages=7")["pages"] as? String == "7-7")
        #expect(try Self.get(handler, "process=\(number)&pages=299-1000")["pages"] as? String == "299-300")
    }

    @Test func invalidPagesAreBadRequest() throws {
        let (folder, number) = try Self.longCase.get()
        let handler = Self.handler(folder)
        for pages in ["0", "5-2", "abc", "301", "301-400"] {
            let query = "process=\(number)&pages=\(pages)"
            let request = Request(method: "GET", path: "/getprocessdetails", rawQuery: query, requestID: "test")
            let context = RequestContext(request: request, query: try QueryParameters(parsing: query), principal: nil)

            let error = try #require(throws: HTTPError.self, "pages=\(pages)") { try handler.handle(context) }

            #expect(error.status == .badRequest, "pages=\(pages)")
        }
    }

    @Test func defaultDocumentHasNoProcess() throws {
        let folder = try DocumentFixtures.makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try DocumentFixtures.stage(DocumentFixtures.mainSample, as: "processo.pdf", in: folder)

        let body = try Self.get(Self.handler(folder), "")

        #expect(body["process"] == nil)
        #expect(body["page_count"] as? Int == 3)
        #expect(body["pages"] as? String == "1-3")
        #expect(body["truncated"] as? Bool == false)
        #expect((body["text"] as? String)?.contains("Página 3 de 3") == true)
    }

    @Test func partlyScannedDocumentListsPagesWithoutText() throws {
        let folder = try DocumentFixtures.makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try DocumentFixtures.stage(try DocumentFixtures.fixture("partial-text-layer.pdf"), as: "processo.pdf", in: folder)

        let body = try Self.get(Self.handler(folder), "")

        #expect(body["pages_without_text"] as? [Int] == [2])
    }

    struct StatusCase: Sendable, CustomTestStringConvertible {
        var kind: DocumentError.Kind
        var status: HTTPStatus

        var testDescription: String { "\(kind) → \(status.code)" }
    }

    static let statusCases: [StatusCase] = [
        StatusCase(kind: .notFound, status: .notFound),
        StatusCase(kind: .unreadable, status: .unprocessableContent),
        StatusCase(kind: .noTextLayer, status: .unprocessableContent),
        StatusCase(kind: .tooLarge, status: .payloadTooLarge),
        StatusCase(kind: .timedOut, status: .gatewayTimeout),
        StatusCase(kind: .busy, status: .serviceUnavailable),
        StatusCase(kind: .failed, status: .internalServerError),
    ]

    @Test(arguments: statusCases)
    func documentErrorStatus(_ testCase: StatusCase) throws {
        let responder = ErrorResponder(realm: "test", logger: DocumentFixtures.quietLogger())
        let request = Request(method: "GET", path: "/getprocessdetails", requestID: "test")

        let response = responder.response(for: DocumentError(testCase.kind, "Client message.", underlying: "/srv/secret/path"), request: request)

        #expect(response.status == testCase.status)
        let body = try JSONDecoder().decode(ErrorBody.self, from: Data(response.body))
        #expect(body.detail == "Client message.")
    }
}

/// A registry without rows, so every process has the default document `<20 digits>.pdf`.
struct EmptyRegistry: ProcessRegistry {
    func record(forProtocol protocolNumber: String) throws(RegistryError) -> RegistryRecord? { nil }
    func documentName(forProcess number: CNJNumber) throws(RegistryError) -> String? { nil }
}

/// Writes long PDFs with `mutool create`, one paragraph of Portuguese text per page.
enum LongPDF {
    static func write(pages: Int, to file: URL) throws {
        let folder = try DocumentFixtures.makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var pageFiles: [String] = []
        for page in 1...pages {
            var content = "%%MediaBox 0 0 595 842\n%%Font F1 Helvetica\nBT /F1 9 Tf 11 TL 40 800 Td\n(Folha \(page) de \(pages)) '\n"
            for line in 1...60 {
                content += "(Linha \(line): peticao inicial, contestacao e documentos juntados aos autos do processo.) '\n"
            }
            content += "ET\n"
            let pageFile = folder.appendingPathComponent("page\(page).txt")
            try content.write(to: pageFile, atomically: true, encoding: .utf8)
            pageFiles.append(pageFile.path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["mutool", "create", "-o", file.path] + pageFiles
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "mutool create failed; is mupdf-tools installed?")
    }
}
