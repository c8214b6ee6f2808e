import Foundation
import Synchronization
import Testing

@testable import ProcessoAPI

@Suite struct TextCacheTests {
    static func key(_ path: String, modified: Int = 1) -> TextCache.Key {
        TextCache.Key(path: path, size: 10, modificationSeconds: modified, modificationNanoseconds: 0, device: 1, inode: 1)
    }

    /// Returns a text whose `byteCount` is `bytes`: half text, half its escaped copy.
    static func text(bytes: Int) -> DocumentText {
        DocumentText(pages: [DocumentText.Page(text: String(repeating: "a", count: bytes / 2))])
    }

    @Test func evictsLeastRecentlyUsed() {
        let cache = TextCache(capacityBytes: 300)
        cache.insert(Self.text(bytes: 100), for: Self.key("a"))
        cache.insert(Self.text(bytes: 100), for: Self.key("b"))
        cache.insert(Self.text(bytes: 100), for: Self.key("c"))
        #expect(cache.text(for: Self.key("a")) != nil)

        cache.insert(Self.text(bytes: 100), for: Self.key("d"))

        #expect(cache.text(for: Self.key("b")) == nil, "b was the least recently used and should be gone")
        #expect(cache.text(for: Self.key("a")) != nil)
        #expect(cache.text(for: Self.key("c")) != nil)
        #expect(cache.text(for: Self.key("d")) != nil)
        #expect(cache.usage.bytes == 300)
    }

    @Test func staysWithinMemoryBound() {
        let cache = TextCache(capacityBytes: 1000)
        for index in 0..<50 {
            cache.insert(Self.text(bytes: 70 + 2 * index), for: Self.key("doc\(index)"))
            #expect(cache.usage.bytes <= 1000, "over the bound after insert \(index)")
        }
    }

    @Test func skipsTextLargerThanBound() {
        let cache = TextCache(capacityBytes: 50)

        cache.insert(Self.text(bytes: 52), for: Self.key("big"))

        #expect(cache.text(for: Self.key("big")) == nil)
        #expect(cache.usage.documents == 0)
    }

    @Test func newVersionReplacesOldOne() {
        let cache = TextCache(capacityBytes: 1000)
        cache.insert(Self.text(bytes: 100), for: Self.key("a", modified: 1))

        cache.insert(Self.text(bytes: 200), for: Self.key("a", modified: 2))

        #expect(cache.text(for: Self.key("a", modified: 1)) == nil)
        #expect(cache.text(for: Self.key("a", modified: 2))?.byteCount == 200)
        #expect(cache.usage == (documents: 1, bytes: 200))
    }

    /// Four requests for one new document arrive at once with one worker: one extracts, one waits and
    /// then finds the text in the cache, and two are rejected as busy. MuPDF runs once.
    @Test func waitingRequestFindsFreshText() throws {
        let folder = try DocumentFixtures.makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try DocumentFixtures.stage(try DocumentFixtures.fixture("pdfjs_tracemonkey.pdf"), as: "case.pdf", in: folder)
        let sink = LogSink.capture()
        let library = DocumentFixtures.library(folder, logger: Logger(label: "documents", minimumLevel: .debug, sink: sink), workers: 1)
        let results = Mutex<[Result<Int, DocumentError>]>([])
        let group = DispatchGroup()
        let start = DispatchSemaphore(value: 0)
        for _ in 0..<4 {
            group.enter()
            Thread {
                start.wait()
                let result = Result { () throws(DocumentError) -> Int in try library.document(named: "case.pdf").pageCount }
                results.withLock { $0.append(result) }
                group.leave()
            }.start()
        }
        for _ in 0..<4 {
            start.signal()
        }
        try #require(group.wait(timeout: .now() + 60) == .success)

        let outcomes = results.withLock { $0 }
        #expect(sink.capturedLines.filter { $0.contains("extracted document text") }.count == 1)
        #expect(outcomes.contains { (try? $0.get()) == 14 })
        for outcome in outcomes {
            if case .failure(let error) = outcome {
                #expect(error.kind == .busy, "\(error)")
            }
        }
    }

    /// Warm requests leave no "extracted document text" line, which the extractor logs for every
    /// MuPDF run, and a rewritten file is extracted again.
    @Test func libraryRunsMuPDFOncePerVersion() throws {
        let folder = try DocumentFixtures.makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try DocumentFixtures.stage(DocumentFixtures.mainSample, as: "case.pdf", in: folder)
        let sink = LogSink.capture()
        let library = DocumentFixtures.library(folder, logger: Logger(label: "documents", minimumLevel: .debug, sink: sink))
        func extractions() -> Int { sink.capturedLines.filter { $0.contains("extracted document text") }.count }

        let first = try library.document(named: "case.pdf")
        for _ in 0..<5 {
            #expect(try library.document(named: "case.pdf") == first)
        }
        #expect(extractions() == 1)

        let file = folder.appendingPathComponent("case.pdf")
        try FileManager.default.removeItem(at: file)
        try DocumentFixtures.stage(DocumentFixtures.secondSample, as: "case.pdf", in: folder)
        let second = try library.document(named: "case.pdf")

        #expect(extractions() == 2)
        #expect(second != first)
        #expect(second.pages[0].text.contains("1023456-16.2024.8.26.0100"))
    }
}
