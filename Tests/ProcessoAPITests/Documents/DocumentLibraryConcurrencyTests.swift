import Foundation
import Synchronization
import Testing

@testable import ProcessoAPI

@Suite struct DocumentLibraryConcurrencyTests {
    /// Texts by task number, filled from many threads.
    final class Results: Sendable {
        let texts = Mutex<[Int: Result<DocumentText, DocumentError>]>([:])
    }

    /// Runs 16 extractions on 16 threads at once, over documents that use different fonts, encryption
    /// and repairs, and expects the texts a sequential run gives. The cache is off, so every request
    /// runs MuPDF.
    @Test func concurrentExtractionsMatchSequentialOnes() throws {
        let references = DocumentFixtures.Reference.allCases.filter(\.hasTextLayer)
        let folder = try DocumentFixtures.makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let taskCount = 16
        // Each task reads a file of its own; there are fewer fixtures than tasks, so some are copied twice.
        let names = (0..<taskCount).map { "task\($0)-\(references[$0 % references.count]).pdf" }
        for task in 0..<taskCount {
            try DocumentFixtures.stage(try references[task % references.count].url(), as: names[task], in: folder)
        }
        let library = DocumentFixtures.library(folder, workers: 16) { $0.textCacheBytes = 0 }

        let sequential = try names.map { try library.document(named: $0) }

        let results = Results()
        let group = DispatchGroup()
        // Every thread waits for the same start signal, so the extractions overlap.
        let start = DispatchSemaphore(value: 0)
        for task in 0..<taskCount {
            group.enter()
            let name = names[task]
            let thread = Thread {
                start.wait()
                let result = Result { () throws(DocumentError) -> DocumentText in try library.document(named: name) }
                results.texts.withLock { $0[task] = result }
                group.leave()
            }
            thread.start()
        }
        for _ in 0..<taskCount {
            start.signal()
        }
        try #require(group.wait(timeout: .now() + 120) == .success, "the extractions did not finish within 120 seconds")

        let concurrent = results.texts.withLock { $0 }
        for task in 0..<taskCount {
            let text = try #require(concurrent[task], "task \(task) left no result").get()
            #expect(text == sequential[task], "task \(task) (\(names[task])) differs from the sequential text")
        }
    }
}
