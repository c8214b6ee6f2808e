import Foundation

/// A valid data row of a registry CSV file.
struct RegistryRow: Sendable, Equatable {
    /// The 1-based line number in the file.
    var line: Int
    var protocolNumber: String
    var processNumber: CNJNumber
}

/// Parses the registry CSV format and checks every row.
///
/// The file is UTF-8, with or without a byte order mark. Its first line is the header
/// `protocol,process_number`. A header written with `;` makes `;` the separator for the whole file,
/// because spreadsheets set to Brazilian Portuguese export CSV that way. Lines end in LF or CRLF, blank lines are skipped,
/// and a field may be double-quoted as RFC 4180 describes. Protocols are trimmed, must be unique in the
/// file and may not contain control characters. Process numbers are CNJ numbers, formatted or as
/// 20 digits, with valid check digits.
enum RegistryCSV {
    static let headerFields = ["protocol", "process_number"]

    /// Returns the valid rows and a problem for every invalid line. The caller imports only when
    /// `problems` is empty.
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
            let message = "the first line must be the header protocol,process_number, but it is empty"
            return ([], [RegistryImportProblem(line: 1, message: message)])
        }
        guard let separator = separator(ofHeader: headerText) else {
            let message = "the header must be protocol,process_number or protocol;process_number, but it is \"\(headerText)\""
            return ([], [RegistryImportProblem(line: 1, message: message)])
        }

        var rows: [RegistryRow] = []
        var problems: [RegistryImportProblem] = []
        var firstLineOfProtocol: [String: Int] = [:]
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
            guard fields.count == 2 else {
                let message = "expected 2 fields, protocol and process number, separated by \"\(separator)\", but found \(fields.count)"
                problems.append(RegistryImportProblem(line: line, message: message))
                continue
            }

            let protocolNumber = fields[0].trimmingCharacters(in: .whitespaces)
            var lineProblems: [String] = []
            if protocolNumber.isEmpty {
                lineProblems.append("the protocol is empty")
            } else if protocolNumber.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                lineProblems.append("the protocol contains a control character")
            } else if let firstLine = firstLineOfProtocol[protocolNumber] {
                lineProblems.append("protocol \"\(protocolNumber)\" is already listed on line \(firstLine)")
            } else {
                firstLineOfProtocol[protocolNumber] = line
            }
            let processNumber: CNJNumber?
            do {
                processNumber = try CNJNumber(fields[1])
            } catch {
                processNumber = nil
                lineProblems.append(describe(error, numberText: fields[1].trimmingCharacters(in: .whitespaces)))
            }

            if let processNumber, lineProblems.isEmpty {
                rows.append(RegistryRow(line: line, protocolNumber: protocolNumber, processNumber: processNumber))
            }
            problems += lineProblems.map { RegistryImportProblem(line: line, message: $0) }
        }
        return (rows, problems)
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

    /// Returns the separator for which the header reads `protocol` and `process_number`, in any case.
    private static func separator(ofHeader header: String) -> Character? {
        [",", ";"].first { separator in
            let names = (try? split(header, separator: separator))?.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            return names == headerFields
        }
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
        }
    }
}
