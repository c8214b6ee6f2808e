import Foundation
import Testing

@testable import ProcessoAPI

/// Paths to the PDFs the document tests read, and helpers to stage them in a scratch folder.
enum DocumentFixtures {
    /// The repository's top-level `pdfs/` folder with the generated samples.
    static let samplesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Documents
        .deletingLastPathComponent()  // ProcessoAPITests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("pdfs")

    static let mainSample = samplesDirectory.appendingPathComponent("processo.pdf")
    static let secondSample = samplesDirectory.appendingPathComponent("10234561620248260100.pdf")

    /// Every PDF whose extracted text must equal `mutool draw -F txt`, apart from page separators
    /// and `PageTextNormalizer`.
    enum Reference: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case mainSample, secondSample, tracemonkey, rotation, aes128EmptyPassword, aes256EmptyPassword
        case repairedCrossReference, scanned, cidFont, ligatures, gazette, partialTextLayer

        var testDescription: String { rawValue }

        /// Whether at least one page has text, so that `DocumentLibrary` returns it instead of `.noTextLayer`.
        var hasTextLayer: Bool { self != .scanned }

        func url() throws -> URL {
            switch self {
            case .mainSample: DocumentFixtures.mainSample
            case .secondSample: DocumentFixtures.secondSample
            case .tracemonkey: try DocumentFixtures.fixture("pdfjs_tracemonkey.pdf")
            case .rotation: try DocumentFixtures.fixture("pdfjs_rotation.pdf")
            case .aes128EmptyPassword: try DocumentFixtures.fixture("pdfjs_bug1815476.pdf")
            case .aes256EmptyPassword: try DocumentFixtures.fixture("pdfjs_issue7665.pdf")
            case .repairedCrossReference: try DocumentFixtures.fixture("pdfjs_xref_command_missing.pdf")
            case .scanned: try DocumentFixtures.fixture("pdfjs_issue7229.pdf")
            case .cidFont: try DocumentFixtures.fixture("pdfjs_cid_cff.pdf")
            case .ligatures: try DocumentFixtures.fixture("pdfjs_copy_paste_ligatures.pdf")
            case .gazette: try DocumentFixtures.fixture("querido-diario-toolbox_multiple_columns.pdf")
            case .partialTextLayer: try DocumentFixtures.fixture("partial-text-layer.pdf")
            }
        }
    }

    /// Returns a logger whose lines go to memory, so passing tests print nothing.
    static func quietLogger() -> Logger {
        Logger(label: "documents", sink: .capture())
    }

    /// Returns the URL of a PDF in `Fixtures/pdfs/`, whose README names each file's source.
    static func fixture(_ name: String) throws -> URL {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return folder.appendingPathComponent("pdfs").appendingPathComponent(name)
    }

    /// Creates an empty folder under the system's temporary directory. The caller removes it.
    static func makeScratchFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("processo-api-documents-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Copies `source` into `folder` under `name`.
    static func stage(_ source: URL, as name: String, in folder: URL) throws {
        try FileManager.default.copyItem(at: source, to: folder.appendingPathComponent(name))
    }

    /// Runs `mutool draw -F txt` on `file` and returns its standard output, the reference text.
    static func mutoolText(of file: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["mutool", "draw", "-F", "txt", "-o", "-", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Reading before waiting keeps a large output from filling the pipe and blocking mutool.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "mutool failed on \(file.lastPathComponent); is mupdf-tools installed?")
        return String(decoding: data, as: UTF8.self)
    }

    /// Splits `mutool draw -F txt` output into pages: mutool writes `\f\n` after every page.
    static func mutoolPages(_ text: String) -> [String] {
        var pages = text.components(separatedBy: "\u{0C}\n")
        if pages.last == "" {
            pages.removeLast()
        }
        return pages
    }

    /// Returns a library over `folder` with small defaults for tests; `configure` changes the settings.
    static func library(
        _ folder: URL, logger: Logger = quietLogger(), workers: Int = 4, configure: (inout DocumentSettings) -> Void = { _ in }
    ) -> DocumentLibrary {
        var settings = DocumentSettings()
        configure(&settings)
        return DocumentLibrary(documentsDirectory: folder.path, settings: settings, extractionWorkers: workers, logger: logger)
    }

    /// Returns an extractor with generous limits, for tests that compare raw extraction results.
    static func extractor(timeout: Duration = .seconds(60)) -> PDFTextExtractor {
        PDFTextExtractor(maxPages: 10_000, timeout: timeout, logger: quietLogger())
    }
}
