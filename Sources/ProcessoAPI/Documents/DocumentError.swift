/// The reason the text of a case document could not be returned.
public struct DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of failure; `ErrorResponder` maps each to one HTTP status.
    public enum Kind: Sendable, Equatable {
        /// No document with that name in the documents folder: 404.
        case notFound
        /// The file exists but is not a PDF MuPDF can read (damaged, truncated, not a PDF, protected by
        /// a user password): 422.
        case unreadable
        /// Not one page has text, as in a scanned document, so the text needs OCR: 422.
        case noTextLayer
        /// The file is larger, or has more pages, than the configured limits allow: 413.
        case tooLarge
        /// The extraction took longer than the configured limit and was aborted: 504.
        case timedOut
        /// Every extraction worker is busy and the waiting line is full: 503.
        case busy
        /// The server could not open the file for another reason (permissions, I/O, memory): 500.
        case failed
    }

    public var kind: Kind
    /// A sentence for the client. It names the problem, never a server path.
    public var message: String
    /// The library's own words, for the log only.
    public var underlying: String?

    public init(_ kind: Kind, _ message: String, underlying: String? = nil) {
        self.kind = kind
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        "DocumentError(kind: \(kind), message: \(message)" + (underlying.map { ", underlying: \($0)" } ?? "") + ")"
    }
}
