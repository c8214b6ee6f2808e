/// Limits and resources for reading case documents, set by the `PROCESSO_API_*` variables that
/// `DocumentSettings(environment:)` reads.
public struct DocumentSettings: Sendable, Equatable {
    /// The largest JSON body `/getprocessdetails` returns, in bytes. Copilot Studio rejects connector
    /// responses over 500 KB, so the default leaves room for headers and the other fields.
    public var maxResponseBytes: Int = 400_000
    /// PDFs larger than this many bytes are rejected with 413 before MuPDF opens them.
    public var maxDocumentBytes: Int = 100 * 1024 * 1024
    /// PDFs with more pages than this are rejected with 413.
    public var maxPages: Int = 5000
    /// Seconds one document's extraction may take before it is aborted with 504. nginx waits
    /// 60 seconds for the responder, so the default is half that.
    public var extractionTimeoutSeconds: Int = 30
    /// The memory bound of the text cache, in bytes of UTF-8 text; 0 turns the cache off.
    public var textCacheBytes: Int = 256 * 1024 * 1024
    /// How many extractions run at once; `nil` picks `defaultExtractionWorkers(...)`.
    public var extractionWorkers: Int?

    public init() {}

    /// Returns the number of extraction workers when none is configured: one per core, but at most a
    /// quarter of the responder's worker threads. A PDF request holds a responder thread while it
    /// extracts or waits for a worker, and waiting requests are limited to the worker count, so PDF
    /// requests hold at most half of the responder's threads and token-only requests keep the rest.
    public static func defaultExtractionWorkers(processorCount: Int, responderWorkers: Int) -> Int {
        max(1, min(processorCount, responderWorkers / 4))
    }
}
