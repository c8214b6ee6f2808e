import Testing

@testable import ProcessoAPI

@Suite struct RegistryCSVTests {
    static let valid = "1012345-35.2024.8.26.0100"

    @Test func byteOrderMarkIsSkipped() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("protocol,process_number\nA,\(Self.valid)\n".utf8)

        let (rows, problems) = RegistryCSV.parse(bytes)

        #expect(problems.isEmpty, "\(problems)")
        #expect(rows.map(\.protocolNumber) == ["A"])
    }

    @Test func headerIgnoresCaseAndSpaces() {
        let (rows, problems) = RegistryCSV.parse(Array(" Protocol ; PROCESS_NUMBER \nA;\(Self.valid)".utf8))

        #expect(problems.isEmpty, "\(problems)")
        #expect(rows.count == 1)
    }

    @Test func fieldsAreTrimmedAndBlankLinesSkipped() {
        let (rows, problems) = RegistryCSV.parse(Array("protocol,process_number\n\n  A 1 ,  10123453520248260100  \n   \n".utf8))

        #expect(problems.isEmpty, "\(problems)")
        #expect(rows == [RegistryRow(line: 3, protocolNumber: "A 1", processNumber: try! CNJNumber(Self.valid))])
    }

    @Test func quotedFieldsAreUnquoted() {
        let csv = #"""
            "protocol","process_number"
            "A,1","\#(Self.valid)"
            "say ""hi""" , 0000094-02.2024.8.26.0100

            """#

        let (rows, problems) = RegistryCSV.parse(Array(csv.utf8))

        #expect(problems.isEmpty, "\(problems)")
        #expect(rows.map(\.protocolNumber) == ["A,1", "say \"hi\""])
    }

    struct BadFile: Sendable, CustomTestStringConvertible {
        var label: String
        var bytes: [UInt8]
        var line: Int
        var messageContains: String

        init(_ label: String, _ text: String, line: Int, _ messageContains: String) {
            self.init(label, Array(text.utf8), line: line, messageContains)
        }

        init(_ label: String, _ bytes: [UInt8], line: Int, _ messageContains: String) {
            self.label = label
            self.bytes = bytes
            self.line = line
            self.messageContains = messageContains
        }

        var testDescription: String { label }
    }

    static let badFiles: [BadFile] = [
        BadFile("empty file", "", line: 1, "it is empty"),
        BadFile("byte order mark only", [0xEF, 0xBB, 0xBF], line: 1, "it is empty"),
        BadFile("wrong header", "protocolo,numero\nA,\(valid)\n", line: 1, "the header must be"),
        BadFile("header with a third column", "protocol,process_number,notes\n", line: 1, "the header must be"),
        BadFile("header not UTF-8", [0xFF, 0xFE, 0x0A], line: 1, "not valid UTF-8"),
        BadFile("row not UTF-8", Array("protocol,process_number\nA,".utf8) + [0xC3, 0x28, 0x0A], line: 2, "not valid UTF-8"),
        BadFile("one field", "protocol,process_number\n\(valid)\n", line: 2, "expected 2 fields"),
        BadFile("three fields", "protocol,process_number\nA,\(valid),x\n", line: 2, "but found 3"),
        BadFile("comma row in a semicolon file", "protocol;process_number\nA,\(valid)\n", line: 2, "separated by \";\""),
        BadFile("empty protocol", "protocol,process_number\n  ,\(valid)\n", line: 2, "the protocol is empty"),
        BadFile("control character", "protocol,process_number\nA\u{7}B,\(valid)\n", line: 2, "control character"),
        BadFile("duplicate protocol", "protocol,process_number\nA,\(valid)\nA,\(valid)\n", line: 3, "already listed on line 2"),
        BadFile("bad check digits", "protocol,process_number\nA,1012345-34.2024.8.26.0100\n", line: 2, "call for 35"),
        BadFile("bad shape", "protocol,process_number\nA,1012345-35.2024.8.26\n", line: 2, "is not a CNJ number"),
        BadFile("unclosed quote", "protocol,process_number\n\"A,\(valid)\n", line: 2, "never closed"),
        BadFile("text after a quote", "protocol,process_number\n\"A\"B,\(valid)\n", line: 2, "after its closing quote"),
    ]

    @Test(arguments: badFiles)
    func badFileIsRejected(_ file: BadFile) {
        let (_, problems) = RegistryCSV.parse(file.bytes)

        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.line == file.line, "\(problems)")
        #expect(problems.first?.message.contains(file.messageContains) == true, "\(problems)")
    }

    @Test func lineWithTwoProblemsReportsBoth() {
        let (rows, problems) = RegistryCSV.parse(Array("protocol,process_number\n,123\n".utf8))

        #expect(rows.isEmpty)
        #expect(problems.map(\.line) == [2, 2])
        #expect(problems.map(\.message).joined().contains("the protocol is empty"))
        #expect(problems.map(\.message).joined().contains("is not a CNJ number"))
    }
}
