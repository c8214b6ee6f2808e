import Foundation

/// Extracts the text of the PDFs in one folder with MuPDF.
///
/// Every call opens the file anew with its own MuPDF context, so one extractor can serve many threads
/// at once and a replaced file is read fresh on the next call.
public struct PDFTextExtractor: DocumentTextProvider {
    /// The folder that contains the PDFs.
    public let documentsDirectory: String
    private let logger: Logger

    public init(documentsDirectory: String, logger: Logger) {
        self.documentsDirectory = documentsDirectory
        self.logger = logger
    }

    /// Extracts the text of every page in order, each page as `mutool draw -F txt` prints it. Pages are
    /// joined with no separator, as a loop that appends PyMuPDF's `page.get_text()` joins them.
    ///
    /// - Throws: `.notFound` when `fileName` is not a plain file name or names no regular file,
    ///   `.unreadable` when MuPDF cannot open or parse the file or it needs a password, and `.failed`
    ///   for permission, I/O and memory problems. Messages never contain a server path.
    public func text(ofDocumentNamed fileName: String) throws(DocumentError) -> String {
        guard Self.isPlainFileName(fileName) else {
            let underlying = "rejected \(fileName.debugDescription) because it is not a plain file name"
            throw DocumentError(.notFound, Self.notFoundMessage, underlying: underlying)
        }
        let path = documentsDirectory.hasSuffix("/") ? documentsDirectory + fileName : documentsDirectory + "/" + fileName

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

        // NOTE: no limit on pages or text size, so a very large PDF is extracted in full within the request.
        var text = ""
        for pageNumber in 0..<pageCount {
            do {
                text += try document.text(ofPage: pageNumber)
            } catch {
                throw Self.documentError(readingPage: pageNumber + 1, error)
            }
        }
        logger.debug(
            "extracted document text",
            ["document.name": fileName, "document.pages": String(pageCount), "text.bytes": String(text.utf8.count)])
        return text
    }

    static let notFoundMessage = "No document was found for this process."

    /// Returns whether `name` can only mean a file directly inside the documents folder. Such a name is
    /// not empty, has no `/` and is not hidden, which also excludes `.` and `..`. It has no NUL, which
    /// would cut the C string short, and at most 255 bytes, Linux's `NAME_MAX`.
    static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\0") && name.utf8.count <= 255
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
}

extension PDFTextExtractor {
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
        case .outOfMemory, .invalidArgument:
            return documentError(readingPage: nil, error)
        }
    }

    /// Maps a failure after the file was opened. `page` is 1-based, or `nil` when the whole document failed.
    static func documentError(readingPage page: Int?, _ error: MuPDFError) -> DocumentError {
        switch error.reason {
        case .invalidDocument:
            let subject = page.map { "Page \($0) of the document" } ?? "The document"
            return DocumentError(.unreadable, subject + " could not be read because the PDF is damaged.", underlying: error.message)
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
