/// Why the text of a case document could not be returned.
public struct DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// No document with that name in the documents folder: 404.
        case notFound
        /// The file exists but is not a PDF MuPDF can read (damaged, truncated, encrypted): 422.
        case unreadable
        /// The server could not open the file for another reason (permissions, I/O): 500.
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
