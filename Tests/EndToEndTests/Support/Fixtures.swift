import Foundation

/// The first row of `deploy/local/sample-registry.csv`, which the local stack imports.
struct SampleRegistry {
    struct Row {
        let protocolNumber: String
        let formattedNumber: String
    }

    let first: Row

    init(repository: URL) throws {
        let file = repository.appendingPathComponent("deploy/local/sample-registry.csv")
        let lines = try String(contentsOf: file, encoding: .utf8).split(whereSeparator: \.isNewline)
        guard lines.count >= 2 else { throw TestFailure("\(file.path) has no data row.") }
        let fields = lines[1].split(whereSeparator: { $0 == "," || $0 == ";" }).map { $0.trimmingCharacters(in: .whitespaces) }
        guard fields.count >= 2 else { throw TestFailure("\(file.path) line 2 has fewer than two fields.") }
        first = Row(protocolNumber: fields[0], formattedNumber: Self.formatted(fields[1]))
    }

    /// Formats a number written as 20 digits; a formatted one is returned as it is.
    private static func formatted(_ number: String) -> String {
        guard number.count == 20 else { return number }
        let d = Array(number)
        return String(d[0..<7]) + "-" + String(d[7..<9]) + "." + String(d[9..<13]) + "." + String(d[13]) + "." + String(d[14..<16])
            + "." + String(d[16..<20])
    }
}

/// Text compared "apart from page breaks": `mutool draw -F txt` ends each page with a form feed and blank
/// lines, the API concatenates pages as MuPDF returns them.
enum TextComparison {
    static func withoutPageBreaks(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{0C}", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: true)
            .joined(separator: "\n")
    }
}

/// A PDF of about 20 pages of Portuguese text, more than 64 KiB once extracted, made with `mutool create`
/// under a process number of its own in the stack's documents folder.
struct LargeDocument {
    let number: String
    let path: String

    static func create(in stack: LocalStack) throws -> LargeDocument {
        let number = validNumber(sequence: "1234567", year: "2024", segment: "8", court: "26", origin: "0100")
        let path = stack.path("pdfs/\(number).pdf")
        if FileManager.default.fileExists(atPath: path) {
            return LargeDocument(number: number, path: path)
        }

        try writePDF(to: path, pages: 20, linesPerPage: 70) { page, line in
            "Folha \(page), linha \(line): peticao inicial do processo, texto de exemplo extenso."
        }
        return LargeDocument(number: number, path: path)
    }

    /// Writes a PDF of Helvetica text lines with `mutool create`; `line` gives each line's ASCII text.
    static func writePDF(to path: String, pages: Int, linesPerPage: Int, line: (_ page: Int, _ line: Int) -> String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [String] = []
        for page in 1...pages {
            var content = "%%MediaBox 0 0 595 842\n%%Font F1 Helvetica\nBT /F1 9 Tf 11 TL 40 800 Td\n"
            for number in 1...linesPerPage {
                content += "(\(line(page, number))) '\n"
            }
            content += "ET\n"
            let file = folder.appendingPathComponent("page\(page).txt")
            try content.write(to: file, atomically: true, encoding: .utf8)
            files.append(file.path)
        }
        try Command.run("/usr/bin/mutool", ["create", "-o", path] + files)
    }

    /// Builds a 20-digit CNJ number with check digits by ISO 7064 MOD 97-10: DD = 98 − (N × 100 mod 97).
    static func validNumber(sequence: String, year: String, segment: String, court: String, origin: String) -> String {
        var remainder = 0
        for character in sequence + year + segment + court + origin + "00" {
            remainder = (remainder * 10 + Int(String(character))!) % 97
        }
        let checkDigits = String(format: "%02d", 98 - remainder)
        return sequence + checkDigits + year + segment + court + origin
    }
}
