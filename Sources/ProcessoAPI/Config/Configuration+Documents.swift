import Foundation

extension DocumentSettings {
    /// Reads the document settings from environment variables; unset or empty ones keep their defaults.
    ///
    /// - Throws: `ConfigurationError` naming the first variable that is not a whole number in range.
    public init(environment: [String: String]) throws(ConfigurationError) {
        func integer(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return defaultValue }
            guard let number = Int(text), range.contains(number) else {
                throw ConfigurationError("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound); got \"\(text)\".")
            }
            return number
        }

        self.init()
        // 20 000 bytes leave room for the other fields of the body with a list of thousands of pages.
        maxResponseBytes = try integer("PROCESSO_API_MAX_RESPONSE_BYTES", default: maxResponseBytes, range: 20_000...100_000_000)
        maxDocumentBytes = try integer("PROCESSO_API_MAX_DOCUMENT_BYTES", default: maxDocumentBytes, range: 1024...(1 << 40))
        maxPages = try integer("PROCESSO_API_MAX_PAGES", default: maxPages, range: 1...1_000_000)
        extractionTimeoutSeconds = try integer("PROCESSO_API_EXTRACTION_TIMEOUT", default: extractionTimeoutSeconds, range: 1...3600)
        textCacheBytes = try integer("PROCESSO_API_TEXT_CACHE_BYTES", default: textCacheBytes, range: 0...(1 << 40))
        if environment["PROCESSO_API_EXTRACTION_WORKERS"]?.trimmingCharacters(in: .whitespaces).isEmpty == false {
            extractionWorkers = try integer("PROCESSO_API_EXTRACTION_WORKERS", default: 1, range: 1...256)
        }
    }

    /// Returns the settings as `NAME=value` lines for `processo-api check-config`.
    /// - Parameter defaultExtractionWorkers: The worker count in effect when the setting is unset.
    func describe(defaultExtractionWorkers: Int) -> [String] {
        [
            "PROCESSO_API_MAX_RESPONSE_BYTES=\(maxResponseBytes)",
            "PROCESSO_API_MAX_DOCUMENT_BYTES=\(maxDocumentBytes)",
            "PROCESSO_API_MAX_PAGES=\(maxPages)",
            "PROCESSO_API_EXTRACTION_TIMEOUT=\(extractionTimeoutSeconds)",
            "PROCESSO_API_TEXT_CACHE_BYTES=\(textCacheBytes)",
            "PROCESSO_API_EXTRACTION_WORKERS=\(extractionWorkers ?? defaultExtractionWorkers)",
        ]
    }
}
