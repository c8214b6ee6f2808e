import Foundation
import Testing

@testable import ProcessoAPI

@Suite struct ExtractionSlotsTests {
    /// Holds both workers and both waiting places, then checks that one more request is rejected at
    /// once rather than holding a responder thread.
    @Test func rejectsBeyondWorkersAndQueue() throws {
        let slots = ExtractionSlots(workers: 2)
        let release = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        for _ in 0..<4 {
            group.enter()
            Thread {
                _ = try? slots.run(maxWait: .seconds(30)) { () throws(DocumentError) in
                    entered.signal()
                    release.wait()
                }
                group.leave()
            }.start()
        }
        for _ in 0..<2 {
            entered.wait()
        }
        // Give the two waiting threads time to be admitted.
        Thread.sleep(forTimeInterval: 0.2)

        let started = ContinuousClock.now
        let error = try #require(throws: DocumentError.self) { try slots.run(maxWait: .seconds(30)) { () throws(DocumentError) in } }

        #expect(error.kind == .busy)
        #expect(ContinuousClock.now - started < .seconds(1), "the rejected request waited")
        for _ in 0..<4 {
            release.signal()
        }
        #expect(group.wait(timeout: .now() + 10) == .success)
        #expect(try slots.run(maxWait: .seconds(1)) { () throws(DocumentError) in 42 } == 42)
    }

    @Test func waitTimesOutWhenWorkersStayBusy() throws {
        let slots = ExtractionSlots(workers: 1)
        let release = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        Thread {
            _ = try? slots.run(maxWait: .seconds(30)) { () throws(DocumentError) in
                entered.signal()
                release.wait()
            }
        }.start()
        entered.wait()
        defer { release.signal() }

        let error = try #require(throws: DocumentError.self) {
            try slots.run(maxWait: .milliseconds(100)) { () throws(DocumentError) in }
        }

        #expect(error.kind == .busy)
        #expect(error.underlying == "no extraction worker became free in time")
    }
}
