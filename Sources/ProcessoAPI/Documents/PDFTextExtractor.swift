import Foundation

/// Extracts the text of one PDF with MuPDF, within a page limit and a time limit.
///
/// Every call opens the file anew with its own MuPDF context, cloned from the shared base context
/// that has MuPDF's lock callbacks, so one extractor can serve many threads at once.
struct PDFTextExtractor: Sendable {
    /// Documents with more pages are rejected before any page is read.
    let maxPages: Int
    /// How long one call may take before its MuPDF cookie is aborted.
    let timeout: Duration
    let logger: Logger

    /// Extracts the text of every page in order, each page as `mutool draw -F txt` prints it and then
    /// normalized by `PageTextNormalizer`. `fileName` names the document in logs.
    ///
    /// - Throws: `.notFound` when `path` names no regular file, and `.unreadable` when MuPDF cannot
    ///   open or parse the file or it needs a password. `.tooLarge` means more than `maxPages` pages,
    ///   `.timedOut` a run longer than `timeout`, and `.failed` a permission, I/O or memory problem.
    ///   Messages never contain a path.
    func extract(path: String, fileName: String) throws(DocumentError) -> DocumentText {
        let document: MuPDFDocument
        do {
            document = try MuPDFDocument(path: path)
        } catch {
            throw Self.documentError(openingPath: path, error)
        }
        defer { logWarnings(of: document, fileName: fileName) }

        let needsPassword: Bool
        do {
            needsPassword = try document.needsPassword()
        } catch {
            throw Self.documentError(readingPage: nil, error)
        }
        guard !needsPassword else {
            throw DocumentError(.unreadable, "The document is protected by a password, so its text cannot be read.")
        }

        let pageCount: Int
        do {
            pageCount = try document.pageCount()
        } catch {
            throw Self.documentError(readingPage: nil, error)
        }
        guard pageCount <= maxPages else {
            throw DocumentError(.tooLarge, "The document has \(pageCount) pages, more than the limit of \(maxPages) this service reads.")
        }

        guard let cookie = MuPDFCookie() else {
            throw DocumentError(.failed, "The server ran out of memory while reading the document.", underlying: "cmupdf_cookie_new failed")
        }
        // A timer on another thread aborts the cookie, and MuPDF checks it between content-stream
        // operators, so even one very slow page stops close to the limit.
        let timer = DispatchWorkItem { cookie.abort() }
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.seconds(timeout), execute: timer)
        defer { timer.cancel() }

        let started = ContinuousClock.now
        var pages: [DocumentText.Page] = []
        pages.reserveCapacity(pageCount)
        for pageNumber in 0..<pageCount {
            // The timer runs on a shared dispatch queue that a busy process may start late, so the
            // deadline is also checked here, between pages.
            if ContinuousClock.now - started >= timeout {
                cookie.abort()
            }
            do {
                pages.append(DocumentText.Page(text: try document.text(ofPage: pageNumber, cookie: cookie)))
            } catch {
                throw Self.documentError(readingPage: pageNumber + 1, error, timeout: timeout)
            }
        }
        let text = DocumentText(pages: pages)
        logger.debug(
            "extracted document text",
            [
                "document.name": fileName, "document.pages": String(pageCount), "text.bytes": String(text.byteCount),
                "extraction.duration": String(describing: ContinuousClock.now - started),
            ])
        return text
    }

    /// Logs the warnings MuPDF raised, such as for a repaired cross-reference table, because callers
    /// see only the text.
    private func logWarnings(of document: MuPDFDocument, fileName: String) {
        let count = document.warningCount
        guard count > 0 else { return }
        logger.notice(
            "MuPDF reported problems in a document",
            ["document.name": fileName, "mupdf.warnings": String(count), "mupdf.first_warning": document.firstWarning])
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

extension PDFTextExtractor {
    static let notFoundMessage = "No document was found for this process."

    /// Maps a failure to open the file. `path` goes into `underlying` for the log, never into the message.
    static func documentError(openingPath path: String, _ error: MuPDFError) -> DocumentError {
        let underlying = "\(error.message) (\(path))"
        switch error.reason {
        case .system(let code) where code == ENOENT || code == ENOTDIR || code == ENAMETOOLONG:
            return DocumentError(.notFound, notFoundMessage, underlying: underlying)
        case .notRegularFile:
            return DocumentError(.notFound, notFoundMessage, underlying: underlying)
        case .system(let code) where code == EACCES || code == EPERM:
            return DocumentError(.failed, "The server is not allowed to read the document.", underlying: underlying)
        case .system:
            return DocumentError(.failed, "The server could not open the document.", underlying: underlying)
        case .invalidDocument:
            let problem = startsLikePDF(path) ? "It is damaged or truncated." : "It is not a PDF file."
            return DocumentError(.unreadable, "The document could not be read as a PDF. " + problem, underlying: underlying)
        case .outOfMemory, .invalidArgument, .aborted:
            return documentError(readingPage: nil, error)
        }
    }

    /// Maps a failure after the file was opened. `page` is 1-based, or `nil` when the whole document failed.
    static func documentError(readingPage page: Int?, _ error: MuPDFError, timeout: Duration = .zero) -> DocumentError {
        switch error.reason {
        case .invalidDocument:
            let subject = page.map { "Page \($0) of the document" } ?? "The document"
            return DocumentError(.unreadable, subject + " could not be read because the PDF is damaged.", underlying: error.message)
        case .aborted:
            let limit = Int(seconds(timeout).rounded(.up))
            let message = "Reading the document took longer than the limit of \(limit) seconds, so it was stopped. Try again later."
            return DocumentError(.timedOut, message, underlying: error.message)
        case .outOfMemory:
            return DocumentError(.failed, "The server ran out of memory while reading the document.", underlying: error.message)
        case .system, .notRegularFile, .invalidArgument:
            return DocumentError(.failed, "The document could not be read.", underlying: error.message)
        }
    }

    /// Returns whether the file has `%PDF-` in its first 1024 bytes, where PDF readers look for the
    /// header. The result only picks the error message's wording, so a read failure counts as `false`.
    static func startsLikePDF(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 1024) else { return false }
        return head.range(of: Data("%PDF-".utf8)) != nil
    }
}
