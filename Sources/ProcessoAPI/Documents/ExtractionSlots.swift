import Foundation
import Synchronization

/// Limits how many extractions run at once and how many requests wait for one.
///
/// A PDF request that misses the cache holds its responder thread while it extracts or waits. With
/// `workers` running and at most `workers` more waiting, a burst of such requests holds at most
/// `2 × workers` responder threads, and token-only requests are served by the others.
final class ExtractionSlots: Sendable {
    let workers: Int
    private let running: DispatchSemaphore
    /// Requests extracting or waiting to extract.
    private let admitted = Atomic<Int>(0)

    init(workers: Int) {
        self.workers = workers
        running = DispatchSemaphore(value: workers)
    }

    /// Runs `body` once a worker is free. Throws `.busy` at once when `2 × workers` requests are already
    /// admitted, and after `maxWait` when no worker became free.
    func run<T>(maxWait: Duration, _ body: () throws(DocumentError) -> T) throws(DocumentError) -> T {
        let count = admitted.add(1, ordering: .sequentiallyConsistent).newValue
        defer { admitted.subtract(1, ordering: .sequentiallyConsistent) }
        guard count <= 2 * workers else {
            throw DocumentError(.busy, Self.busyMessage, underlying: "\(count - 1) extractions already running or waiting")
        }

        guard running.wait(timeout: .now() + PDFTextExtractor.seconds(maxWait)) == .success else {
            throw DocumentError(.busy, Self.busyMessage, underlying: "no extraction worker became free in time")
        }
        defer { running.signal() }
        return try body()
    }

    static let busyMessage = "The server is busy reading other documents. Try again in a few seconds."
}
