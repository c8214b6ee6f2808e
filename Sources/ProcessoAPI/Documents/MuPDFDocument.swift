import CMuPDF

/// A failed call into the MuPDF shim, before `PDFTextExtractor` turns it into a `DocumentError`.
struct MuPDFError: Error, Sendable {
    enum Reason: Sendable, Equatable {
        /// `fopen` or `fstat` failed with this errno.
        case system(errno: Int32)
        /// The path is a directory or another kind of non-regular file.
        case notRegularFile
        /// MuPDF ran out of memory, or its shared context could not be created.
        case outOfMemory
        /// MuPDF could not open or parse the document or a page.
        case invalidDocument
        /// The shim rejected an argument; a bug in the caller.
        case invalidArgument
        /// The extraction's cookie was aborted, because its time ran out.
        case aborted
    }

    var reason: Reason
    /// MuPDF's or the shim's message, for the log only.
    var message: String

    init(_ error: cmupdf_error) {
        switch error.status {
        case CMUPDF_ERROR_SYSTEM: reason = .system(errno: error.system_errno)
        case CMUPDF_ERROR_NOT_REGULAR_FILE: reason = .notRegularFile
        case CMUPDF_ERROR_MEMORY: reason = .outOfMemory
        case CMUPDF_ERROR_DOCUMENT: reason = .invalidDocument
        case CMUPDF_ERROR_ABORTED: reason = .aborted
        default: reason = .invalidArgument
        }
        message = withUnsafeBytes(of: error.message) { bytes in
            String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }
}

/// An open PDF. It owns the shim's `cmupdf_document` and closes it in `deinit`.
///
/// Each instance has its own MuPDF context cloned from the shared one, so separate instances can be
/// used on separate threads at once. One instance must stay on one thread at a time, which is why
/// the type is not `Sendable`.
final class MuPDFDocument {
    private let handle: OpaquePointer

    /// Opens the file at `path` as a PDF, without a password.
    init(path: String) throws(MuPDFError) {
        var error = cmupdf_error()
        guard let handle = cmupdf_open_document(path, &error) else {
            throw MuPDFError(error)
        }
        self.handle = handle
    }

    deinit {
        cmupdf_close_document(handle)
    }

    /// Returns whether the document is encrypted with a user password other than the empty one.
    func needsPassword() throws(MuPDFError) -> Bool {
        var error = cmupdf_error()
        var needsPassword: Int32 = 0
        guard cmupdf_needs_password(handle, &needsPassword, &error) == CMUPDF_OK else {
            throw MuPDFError(error)
        }
        return needsPassword != 0
    }

    func pageCount() throws(MuPDFError) -> Int {
        var error = cmupdf_error()
        var count: Int32 = 0
        guard cmupdf_count_pages(handle, &count, &error) == CMUPDF_OK else {
            throw MuPDFError(error)
        }
        return Int(count)
    }

    /// Extracts the text of a 0-based page as MuPDF prints it, normalized by `PageTextNormalizer`.
    /// Aborting `cookie` from another thread stops the page and throws `.aborted`.
    func text(ofPage pageNumber: Int, cookie: MuPDFCookie) throws(MuPDFError) -> String {
        var error = cmupdf_error()
        var text: UnsafePointer<CChar>?
        var length = 0
        let status = cmupdf_extract_page_text(handle, Int32(clamping: pageNumber), cookie.handle, &text, &length, &error)
        guard status == CMUPDF_OK else {
            throw MuPDFError(error)
        }
        guard let text, length > 0 else {
            return ""
        }
        // The buffer belongs to the document and is reused by the next call, so it is copied now.
        return PageTextNormalizer.normalize(UnsafeRawBufferPointer(start: text, count: length))
    }

    /// The number of warnings MuPDF raised so far, for example while repairing a damaged file. MuPDF
    /// reports a warning repeated back to back once, followed by one line with the repeat count.
    var warningCount: Int {
        Int(cmupdf_warning_count(handle))
    }

    /// The first of those warnings, or an empty string.
    var firstWarning: String {
        String(cString: cmupdf_first_warning(handle))
    }
}

/// MuPDF's cookie for one extraction. It owns the shim's `cmupdf_cookie` and frees it in `deinit`.
///
/// `abort()` may be called from any thread, which is what the extraction timer does; the shim reads
/// and writes the flag atomically.
final class MuPDFCookie: @unchecked Sendable {
    let handle: OpaquePointer

    /// Returns `nil` when the cookie cannot be allocated.
    init?() {
        guard let handle = cmupdf_cookie_new() else { return nil }
        self.handle = handle
    }

    deinit {
        cmupdf_cookie_free(handle)
    }

    func abort() {
        cmupdf_cookie_abort(handle)
    }

    var isAborted: Bool {
        cmupdf_cookie_is_aborted(handle) != 0
    }
}
