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

    /// The PDFs whose extracted text must equal `mutool draw -F txt`.
    enum Reference: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case mainSample, secondSample, rotation, ligatures, repairedCrossReference, emptyUserPassword

        var testDescription: String { rawValue }

        func url() throws -> URL {
            switch self {
            case .mainSample: DocumentFixtures.mainSample
            case .secondSample: DocumentFixtures.secondSample
            case .rotation: try DocumentFixtures.fixture("pdfjs_rotation.pdf")
            case .ligatures: try DocumentFixtures.fixture("pdfjs_copy_paste_ligatures.pdf")
            case .repairedCrossReference: try DocumentFixtures.fixture("pdfjs_xref_command_missing.pdf")
            case .emptyUserPassword: try DocumentFixtures.fixture("pdfjs_issue7665.pdf")
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

    /// Removes the `\f\n` that `mutool draw -F txt` writes after every page, because the extractor
    /// puts no separator between pages.
    static func removingPageSeparators(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{0C}\n", with: "")
    }
}
