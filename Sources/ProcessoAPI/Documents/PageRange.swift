/// A 1-based, inclusive range of pages from the `pages` query parameter: `3-7`, or `5` for one page.
public struct PageRange: Sendable, Equatable, CustomStringConvertible {
    public let first: Int
    public let last: Int

    public init(first: Int, last: Int) {
        self.first = first
        self.last = last
    }

    /// Parses `N` or `FROM-TO` with decimal digits only, `1 ≤ FROM ≤ TO`.
    public init(parsing text: String) throws(HTTPError) {
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        let numbers = parts.map { part -> Int? in
            guard !part.isEmpty, part.utf8.count <= 9, part.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                return nil
            }
            return Int(part)
        }
        guard let first = numbers.first ?? nil, let last = numbers.last ?? nil else {
            throw HTTPError(.badRequest, "The query parameter pages must be a page number or a range such as 1-20; got \"\(text)\".")
        }
        guard first >= 1, first <= last else {
            throw HTTPError(.badRequest, "The query parameter pages must start at page 1 or later and not end before it starts; got \"\(text)\".")
        }
        self.init(first: first, last: last)
    }

    /// Returns this range with `last` lowered to `pageCount`, so that `1-1000` requests the whole of
    /// a shorter document. Throws 400 when the range starts after the last page.
    public func clamped(toPageCount pageCount: Int) throws(HTTPError) -> PageRange {
        guard first <= pageCount else {
            throw HTTPError(.badRequest, "The document has \(pageCount) pages, so pages cannot start at \(first).")
        }
        return PageRange(first: first, last: min(last, pageCount))
    }

    public var description: String { "\(first)-\(last)" }
}
