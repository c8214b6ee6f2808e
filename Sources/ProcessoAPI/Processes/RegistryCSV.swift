import Foundation

/// A valid data row of a registry CSV file.
struct RegistryRow: Sendable, Equatable {
    /// The 1-based line number in the file.
    var line: Int
    var record: RegistryRecord

    var protocolNumber: String { record.protocolNumber }
    var processNumber: CNJNumber { record.processNumber }
}

/// Parses the registry CSV format and checks every row.
///
/// The file is UTF-8, with or without a byte order mark. Its first line is the header
/// `protocol,process_number` or `protocol,process_number,document`. A header written with `;` makes
/// `;` the separator for the whole file, because spreadsheets set to Brazilian Portuguese export CSV
/// that way. Lines end in LF or CRLF, blank lines are skipped, and a field may be double-quoted as
/// RFC 4180 describes.
///
/// Protocols are trimmed, may not contain control characters and must have a letter or digit. Two
/// rows whose protocols have the same `ProtocolKey` are one protocol: listing it again with the same
/// number and document is allowed, with another one it is a problem. Process numbers are CNJ numbers,
/// formatted or as 20 digits, with valid check digits and segment. A document is a plain file name
/// in the documents folder, never a path, and an empty one means `<20 digits>.pdf`. One process has
/// one document, whichever protocols list it.
enum RegistryCSV {
    static let headerFields = ["protocol", "process_number"]
    static let headerFieldsWithDocument = ["protocol", "process_number", "document"]

    /// Returns the valid rows and a problem for every invalid line, in line order. The caller imports
    /// only when `problems` is empty.
    static func parse(_ bytes: [UInt8]) -> (rows: [RegistryRow], problems: [RegistryImportProblem]) {
        var content = bytes[...]
        if content.starts(with: [0xEF, 0xBB, 0xBF]) {
            content = content.dropFirst(3)
        }
        // `split` keeps empty lines, so `lines` always has a first element, even for an empty file.
        let lines = content.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(decodeLine)

        guard let headerText = lines[0] else {
            return ([], [RegistryImportProblem(line: 1, message: "the header is not valid UTF-8")])
        }
        guard !headerText.allSatisfy(\.isWhitespace) else {
            let message = "the first line must be the header protocol,process_number or protocol,process_number,document, but it is empty"
            return ([], [RegistryImportProblem(line: 1, message: message)])
        }
        guard let (separator, columns) = format(ofHeader: headerText) else {
            let message =
                "the header must be protocol,process_number or protocol,process_number,document, with , or ; between the names, but it is \"\(headerText)\""
            return ([], [RegistryImportProblem(line: 1, message: message)])
        }

        var rows: [RegistryRow] = []
        var problems: [RegistryImportProblem] = []
        var rowOfKey: [String: RegistryRow] = [:]
        var rowOfProcess: [String: RegistryRow] = [:]
        for (index, text) in lines.enumerated().dropFirst() {
            let line = index + 1
            guard let text else {
                problems.append(RegistryImportProblem(line: line, message: "the line is not valid UTF-8"))
                continue
            }
            if text.allSatisfy(\.isWhitespace) {
                continue
            }
            let fields: [String]
            do {
                fields = try split(text, separator: separator)
            } catch {
                problems.append(RegistryImportProblem(line: line, message: error.message))
                continue
            }
            guard fields.count == columns else {
                let names = columns == 2 ? "protocol and process number" : "protocol, process number and document"
                let message = "expected \(columns) fields, \(names), separated by \"\(separator)\", but found \(fields.count)"
                problems.append(RegistryImportProblem(line: line, message: message))
                continue
            }

            let (record, lineProblems) = check(fields)
            problems += lineProblems.map { RegistryImportProblem(line: line, message: $0) }
            guard let record, lineProblems.isEmpty else { continue }
            let row = RegistryRow(line: line, record: record)

            if let earlier = rowOfKey[record.protocolKey] {
                if earlier.processNumber != record.processNumber || earlier.record.documentFileName != record.documentFileName {
                    let message =
                        "protocol \"\(record.protocolNumber)\" is already listed on line \(earlier.line) with process \(earlier.processNumber) and document \(earlier.record.documentFileName)"
                    problems.append(RegistryImportProblem(line: line, message: message))
                }
                continue
            }
            if let earlier = rowOfProcess[record.processNumber.digits], earlier.record.documentFileName != record.documentFileName {
                let message =
                    "process \(record.processNumber) has document \(earlier.record.documentFileName) on line \(earlier.line), so it cannot have \(record.documentFileName)"
                problems.append(RegistryImportProblem(line: line, message: message))
                continue
            }
            rowOfKey[record.protocolKey] = row
            rowOfProcess[record.processNumber.digits] = row
            rows.append(row)
        }
        return (rows, problems)
    }

    /// Checks the fields of one line and returns its record, or the line's problems.
    private static func check(_ fields: [String]) -> (RegistryRecord?, [String]) {
        var problems: [String] = []
        let protocolNumber = fields[0].trimmingCharacters(in: .whitespaces)
        if protocolNumber.isEmpty {
            problems.append("the protocol is empty")
        } else if protocolNumber.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            problems.append("the protocol contains a control character")
        } else if ProtocolKey.normalize(protocolNumber).isEmpty {
            problems.append("the protocol \"\(protocolNumber)\" has no letter or digit")
        }

        var processNumber: CNJNumber?
        do {
            processNumber = try CNJNumber(fields[1])
        } catch {
            problems.append(describe(error, numberText: fields[1].trimmingCharacters(in: .whitespaces)))
        }

        var document: String?
        if fields.count > 2 {
            let name = fields[2].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty {
                document = name
                if !isDocumentName(name) {
                    problems.append(
                        "the document \"\(name)\" must be a plain file name in the documents folder, without / or \\, not starting with a dot")
                }
            }
        }

        guard let processNumber else { return (nil, problems) }
        return (RegistryRecord(protocolNumber: protocolNumber, processNumber: processNumber, document: document), problems)
    }

    /// Returns whether `name` is a plain file name that `DocumentLibrary` accepts, with no backslash or
    /// control character either, so that no spreadsheet path such as `C:\\autos\\1.pdf` gets in.
    static func isDocumentName(_ name: String) -> Bool {
        DocumentLibrary.isPlainFileName(name) && !name.contains("\\")
            && !name.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// Decodes one line without its line break, or returns `nil` when it is not valid UTF-8.
    private static func decodeLine(_ bytes: ArraySlice<UInt8>) -> String? {
        let withoutReturn = bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes
        return String(validating: withoutReturn, as: UTF8.self)
    }

    /// An unbalanced quote in a line.
    struct FieldError: Error {
        var message: String
    }

    /// Splits a line at `separator`. A field that starts with `"` runs to the next lone `"`, may contain
    /// the separator, and writes a quote inside as `""`. Spaces around the quotes are ignored.
    static func split(_ line: String, separator: Character) throws(FieldError) -> [String] {
        let characters = Array(line)
        var fields: [String] = []
        var field = ""
        var isQuoted = false
        var quoteClosed = false
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            if isQuoted {
                if character != "\"" {
                    field.append(character)
                } else if index < characters.count, characters[index] == "\"" {
                    field.append("\"")
                    index += 1
                } else {
                    isQuoted = false
                    quoteClosed = true
                }
            } else if character == separator {
                fields.append(field)
                field = ""
                quoteClosed = false
            } else if quoteClosed {
                guard character.isWhitespace else {
                    throw FieldError(message: "field \(fields.count + 1) has text after its closing quote")
                }
            } else if character == "\"", field.allSatisfy(\.isWhitespace) {
                isQuoted = true
                field = ""
            } else {
                field.append(character)
            }
        }
        guard !isQuoted else {
            throw FieldError(message: "field \(fields.count + 1) opens a quote that is never closed")
        }
        fields.append(field)
        return fields
    }

    /// Returns the separator and column count for which the header reads `protocol`, `process_number`
    /// and optionally `document`, in any case.
    private static func format(ofHeader header: String) -> (separator: Character, columns: Int)? {
        for separator: Character in [",", ";"] {
            let names = (try? split(header, separator: separator))?.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if names == headerFields { return (separator, 2) }
            if names == headerFieldsWithDocument { return (separator, 3) }
        }
        return nil
    }

    /// Describes why `numberText` is not a CNJ number, with the check digits it should have had.
    private static func describe(_ error: CNJNumberError, numberText: String) -> String {
        switch error {
        case .invalidFormat:
            return "\"\(numberText)\" is not a CNJ number; write it as NNNNNNN-DD.AAAA.J.TR.OOOO or as 20 digits"
        case .invalidCheckDigits:
            let digits = numberText.utf8.filter { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            let expected = CNJNumber.expectedCheckDigits(digits)
            return "the check digits of \"\(numberText)\" are wrong; the other 18 digits call for \(expected)"
        case .invalidSegment:
            return "\"\(numberText)\" has segment digit J = 0, but J must be 1 to 9"
        }
    }
}
