import Foundation
import Synchronization
import Testing

/// `/getprocessdetails` paging and the registry, through real nginx, TLS and FastCGI.
@Suite(.serialized) struct DocumentEndpointTests {
    let stack: LocalStack
    let tokens: TokenFactory

    init() throws {
        stack = try LocalStack.start()
        tokens = try TokenFactory(stack: stack)
    }

    var binary: String { stack.repository.appendingPathComponent(".build/debug/processo-api").path }

    /// The sample registry names `processo.pdf` as the document of process 1012345-35.2024.8.26.0100.
    @Test func registryDocumentIsServed() throws {
        let response = try stack.client.get(stack.url("/getprocessdetails?process=10123453520248260100&pages=3"), bearer: try tokens.mint())

        #expect(response.status == 200, "body: \(response.text.prefix(300))")
        let body = try response.json()
        #expect(body["process"] as? String == "1012345-35.2024.8.26.0100")
        #expect(body["page_count"] as? Int == 3)
        #expect(body["pages"] as? String == "3-3")
        #expect((body["text"] as? String)?.contains("Página 3 de 3") == true)
    }

    /// An agent pages through a 300-page file, one response at a time, each under the 400 000-byte
    /// default limit and Copilot Studio's 500 KB.
    @Test func agentPagesThroughLongFile() throws {
        let long = try LongDocument.create(in: stack, pages: 300)
        let token = try tokens.mint()
        var next = 1
        var pagesSeen: [String] = []
        var text = ""
        while true {
            let response = try stack.client.get(stack.url("/getprocessdetails?process=\(long.number)&pages=\(next)-300"), bearer: token)
            try #require(response.status == 200, "body: \(response.text.prefix(300))")
            #expect(response.body.count <= 400_000, "a response of \(response.body.count) bytes is over the limit")
            let body = try response.json()
            pagesSeen.append(try #require(body["pages"] as? String))
            text += try #require(body["text"] as? String)
            guard body["truncated"] as? Bool == true else { break }
            next = try #require(body["next_page"] as? Int)
            try #require(pagesSeen.count < 10, "paging does not end: \(pagesSeen)")
        }

        #expect(pagesSeen.count >= 2, "the file fit one response: \(pagesSeen)")
        #expect(pagesSeen.last?.hasSuffix("-300") == true, "\(pagesSeen)")
        let expected = try Command.run("/usr/bin/mutool", ["draw", "-q", "-F", "txt", "-o", "-", long.path])
        #expect(TextComparison.withoutPageBreaks(text) == TextComparison.withoutPageBreaks(expected))
    }

    /// Replaces the stack's registry 10 times while 4 threads send protocol lookups, and expects every
    /// lookup to succeed. The replacement keeps the sample rows, so other tests see no change.
    @Test func registryReplacedUnderLoad() throws {
        let sample = try String(contentsOf: stack.repository.appendingPathComponent("deploy/local/sample-registry.csv"), encoding: .utf8)
        let extended = stack.path("registry-extended.csv")
        try (sample + "E2E-HOT-RELOAD,0000010-98.2024.8.26.0100,\n").write(toFile: extended, atomically: true, encoding: .utf8)
        let first = try SampleRegistry(repository: stack.repository).first
        let token = try tokens.mint()
        let failures = Mutex<[String]>([])
        let stop = Atomic<Bool>(false)
        let requests = Atomic<Int>(0)
        let group = DispatchGroup()
        for _ in 0..<4 {
            group.enter()
            Thread { [stack] in
                while !stop.load(ordering: .relaxed) {
                    do {
                        let response = try stack.client.get(stack.url("/getprocessnumber?protocol=\(first.protocolNumber)"), bearer: token)
                        if response.status != 200 || (try? response.json()["message"] as? String) != first.formattedNumber {
                            failures.withLock { $0.append("status \(response.status): \(response.text.prefix(200))") }
                        }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                    requests.add(1, ordering: .relaxed)
                }
                group.leave()
            }.start()
        }

        for round in 0..<10 {
            let file = round % 2 == 0 ? extended : stack.repository.appendingPathComponent("deploy/local/sample-registry.csv").path
            _ = try Command.run(binary, ["registry", "import", "--replace", file], environment: stack.environment)
        }
        _ = try Command.run(binary, ["registry", "import", "--replace", extended], environment: stack.environment)
        stop.store(true, ordering: .relaxed)
        try #require(group.wait(timeout: .now() + 60) == .success)

        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0.prefix(3) })")
        #expect(requests.load(ordering: .relaxed) > 0)
        let added = try stack.client.get(stack.url("/getprocessnumber?protocol=e2e.hot-reload"), bearer: token)
        #expect(added.status == 200, "the responder did not pick up the new registry: \(added.text)")
        #expect(try added.json()["message"] as? String == "0000010-98.2024.8.26.0100")
    }

    /// Hard documents get their own status and a JSON `detail` through nginx.
    @Test func hardDocumentsGetSpecificAnswers() throws {
        let fixtures = stack.repository.appendingPathComponent("Tests/ProcessoAPITests/Fixtures/pdfs")
        let cases: [(fixture: String, sequence: String, status: Int, detail: String)] = [
            ("pdfjs_issue7229.pdf", "0000201", 422, "needs OCR"),
            ("password-protected.pdf", "0000202", 422, "protected by a password"),
            ("pdfjs_xref_command_missing.pdf", "0000203", 200, ""),
            ("pdfjs_bug1815476.pdf", "0000204", 200, ""),
        ]
        let token = try tokens.mint()
        for testCase in cases {
            let number = LargeDocument.validNumber(sequence: testCase.sequence, year: "2024", segment: "8", court: "26", origin: "0100")
            let target = stack.path("pdfs/\(number).pdf")
            if !FileManager.default.fileExists(atPath: target) {
                try FileManager.default.copyItem(atPath: fixtures.appendingPathComponent(testCase.fixture).path, toPath: target)
            }

            let response = try stack.client.get(stack.url("/getprocessdetails?process=\(number)"), bearer: token)

            #expect(response.status == testCase.status, "\(testCase.fixture): \(response.text.prefix(200))")
            #expect(response.headers["content-type"] == "application/json; charset=utf-8", "\(testCase.fixture)")
            if testCase.status != 200 {
                let detail = try #require(try response.json()["detail"] as? String, "\(testCase.fixture)")
                #expect(detail.contains(testCase.detail), "\(testCase.fixture): \(detail)")
            }
        }
        let badPages = try stack.client.get(stack.url("/getprocessdetails?pages=0"), bearer: token)
        #expect(badPages.status == 400)
    }

    /// Sends 12 requests for 12 documents no one has read yet, all at once, and protocol lookups while
    /// they run. The stack's responder has 8 threads and at most 2 extraction workers (one per core, at
    /// most a quarter of the threads), so at most 4 PDF requests keep a thread. The rest get 503 with
    /// `Retry-After` at once, and every lookup succeeds.
    @Test func pdfBurstLeavesLookupsServed() throws {
        let source = stack.repository.appendingPathComponent("Tests/ProcessoAPITests/Fixtures/pdfs/pdfjs_tracemonkey.pdf").path
        let numbers = (300..<312).map {
            LargeDocument.validNumber(sequence: String(format: "%07d", $0), year: "2024", segment: "8", court: "26", origin: "0100")
        }
        for number in numbers where !FileManager.default.fileExists(atPath: stack.path("pdfs/\(number).pdf")) {
            try FileManager.default.copyItem(atPath: source, toPath: stack.path("pdfs/\(number).pdf"))
        }
        let first = try SampleRegistry(repository: stack.repository).first
        let token = try tokens.mint()
        let results = Mutex<[(status: Int, retryAfter: String?, detail: String?)]>([])
        let group = DispatchGroup()
        for number in numbers {
            group.enter()
            Thread { [stack] in
                if let response = try? stack.client.get(stack.url("/getprocessdetails?process=\(number)&pages=1"), bearer: token) {
                    let detail = (try? response.json())?["detail"] as? String
                    results.withLock { $0.append((response.status, response.headers["retry-after"], detail)) }
                }
                group.leave()
            }.start()
        }

        for _ in 0..<5 {
            let started = Date()
            let lookup = try stack.client.get(stack.url("/getprocessnumber?protocol=\(first.protocolNumber)"), bearer: token)
            #expect(lookup.status == 200, "a lookup during the burst failed: \(lookup.text)")
            #expect(Date().timeIntervalSince(started) < 10, "a lookup during the burst took over 10 seconds")
        }
        try #require(group.wait(timeout: .now() + 120) == .success)

        let answers = results.withLock { $0 }
        #expect(answers.count == numbers.count)
        #expect(answers.filter { $0.status == 200 }.count >= 2)
        for answer in answers where answer.status != 200 {
            #expect(answer.status == 503, "unexpected answer \(answer)")
            #expect(answer.retryAfter == "5")
            #expect(answer.detail?.contains("busy reading other documents") == true, "\(answer)")
        }
    }

    @Test func registryCommandsRoundTrip() throws {
        var environment = stack.environment
        environment["PROCESSO_API_REGISTRY"] = stack.path("commands-\(UUID().uuidString.prefix(8)).sqlite3")
        let csv = stack.path("commands.csv")
        try "protocol;process_number;document\n2024/0001;1023456-16.2024.8.26.0100;\n2024/0002;10123453520248260100;processo.pdf\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)

        let imported = try Command.run(binary, ["registry", "import", csv], environment: environment)
        #expect(imported.contains("Imported 2 rows (2 added, 0 updated)"), "\(imported)")

        let lookup = try Command.run(binary, ["registry", "lookup", " 2024-0002 "], environment: environment)
        #expect(lookup.contains("process_number: 1012345-35.2024.8.26.0100"), "\(lookup)")
        #expect(lookup.contains("document: processo.pdf"), "\(lookup)")

        let export = try Command.run(binary, ["registry", "export"], environment: environment)
        #expect(
            export == "protocol,process_number,document\n2024/0001,1023456-16.2024.8.26.0100,\n2024/0002,1012345-35.2024.8.26.0100,processo.pdf\n")

        let stats = try Command.run(binary, ["registry", "stats"], environment: environment)
        #expect(stats.contains("protocols: 2"), "\(stats)")
        #expect(stats.contains("processes with a named document: 1"), "\(stats)")
        #expect(stats.contains("2 of 2"), "\(stats)")

        let exported = stack.path("exported.csv")
        try export.write(toFile: exported, atomically: true, encoding: .utf8)
        let replaced = try Command.run(binary, ["registry", "import", "--replace", exported], environment: environment)
        #expect(replaced.contains("(0 added, 2 updated)"), "\(replaced)")

        let missing = try Command.status(binary, ["registry", "lookup", "9999"], environment: environment)
        #expect(missing.status == 1)
        #expect(missing.errors.contains("No process is registered for protocol 9999"))
    }
}

/// A long PDF with one heading line per page, made with `mutool create` under its own process number.
struct LongDocument {
    let number: String
    let path: String

    static func create(in stack: LocalStack, pages: Int) throws -> LongDocument {
        let number = LargeDocument.validNumber(sequence: "7654321", year: "2024", segment: "8", court: "26", origin: "0100")
        let path = stack.path("pdfs/\(number).pdf")
        if FileManager.default.fileExists(atPath: path) {
            return LongDocument(number: number, path: path)
        }
        // The first line of each page is its header, so a reader can tell the pages apart.
        try LargeDocument.writePDF(to: path, pages: pages, linesPerPage: 61) { page, line in
            line == 1
                ? "Folha \(page) de \(pages)"
                : "Linha \(line - 1): despacho, certidao e documentos juntados aos autos deste processo."
        }
        return LongDocument(number: number, path: path)
    }
}
