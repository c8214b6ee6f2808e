import Foundation

/// The case PDFs in one folder: checks names and limits, serves cached text and extracts the rest
/// on a bounded number of workers.
///
/// A warm request costs one `stat` and a cache lookup and does no MuPDF work. A file whose size,
/// modification time or inode changed is extracted again.
public final class DocumentLibrary: DocumentTextProvider {
    /// The folder that contains the PDFs.
    public let documentsDirectory: String
    private let settings: DocumentSettings
    private let extractor: PDFTextExtractor
    private let cache: TextCache
    private let slots: ExtractionSlots
    private let logger: Logger

    /// - Parameter extractionWorkers: Extractions that may run at once, used when `settings` sets none.
    public init(documentsDirectory: String, settings: DocumentSettings = DocumentSettings(), extractionWorkers: Int = 2, logger: Logger) {
        self.documentsDirectory = documentsDirectory
        self.settings = settings
        self.logger = logger
        extractor = PDFTextExtractor(maxPages: settings.maxPages, timeout: .seconds(settings.extractionTimeoutSeconds), logger: logger)
        cache = TextCache(capacityBytes: settings.textCacheBytes)
        slots = ExtractionSlots(workers: max(1, settings.extractionWorkers ?? extractionWorkers))
    }

    public func document(named fileName: String) throws(DocumentError) -> DocumentText {
        guard Self.isPlainFileName(fileName) else {
            let underlying = "rejected \(fileName.debugDescription) because it is not a plain file name"
            throw DocumentError(.notFound, PDFTextExtractor.notFoundMessage, underlying: underlying)
        }
        let path = documentsDirectory.hasSuffix("/") ? documentsDirectory + fileName : documentsDirectory + "/" + fileName
        let key = try Self.cacheKey(path: path)
        guard key.size <= settings.maxDocumentBytes else {
            let message = "The document is \(key.size) bytes, more than the limit of \(settings.maxDocumentBytes) bytes this service reads."
            throw DocumentError(.tooLarge, message)
        }

        let text: DocumentText
        if let cached = cache.text(for: key) {
            text = cached
        } else {
            // Half the extraction limit for the wait keeps wait plus extraction at 1.5 times the limit,
            // 45 seconds by default, inside the 60 seconds nginx waits for the responder.
            text = try slots.run(maxWait: .milliseconds(settings.extractionTimeoutSeconds * 500)) { () throws(DocumentError) -> DocumentText in
                // A request that waited for a worker may find the text that another one just extracted.
                if let cached = cache.text(for: key) {
                    return cached
                }
                // Stored before the worker is released, so the next waiting request finds it.
                let extracted = try extractor.extract(path: path, fileName: fileName)
                cache.insert(extracted, for: key)
                return extracted
            }
        }

        guard text.pages.contains(where: \.hasText) else {
            let message =
                "The document has no text layer: its pages are images, as in a scanned document, so its text needs OCR, which this service does not do."
            throw DocumentError(.noTextLayer, message)
        }
        return text
    }

    /// Returns whether `name` can only mean a file directly inside the documents folder. Such a name is
    /// not empty, has no `/` and is not hidden, which also excludes `.` and `..`. It has no NUL, which
    /// would cut the C string short, and at most 255 bytes, Linux's `NAME_MAX`.
    public static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\0") && name.utf8.count <= 255
    }

    /// Runs `stat` on `path` and returns the cache key of the file's current version.
    static func cacheKey(path: String) throws(DocumentError) -> TextCache.Key {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            let underlying = "stat failed: \(String(cString: strerror(code))) (\(path))"
            switch code {
            case ENOENT, ENOTDIR, ENAMETOOLONG:
                throw DocumentError(.notFound, PDFTextExtractor.notFoundMessage, underlying: underlying)
            case EACCES, EPERM:
                throw DocumentError(.failed, "The server is not allowed to read the document.", underlying: underlying)
            default:
                throw DocumentError(.failed, "The server could not open the document.", underlying: underlying)
            }
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw DocumentError(.notFound, PDFTextExtractor.notFoundMessage, underlying: "not a regular file (\(path))")
        }
        return TextCache.Key(
            path: path, size: Int(status.st_size), modificationSeconds: Int(status.st_mtim.tv_sec),
            modificationNanoseconds: Int(status.st_mtim.tv_nsec), device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }
}
