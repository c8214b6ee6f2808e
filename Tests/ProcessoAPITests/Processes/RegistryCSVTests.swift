import Testing

@testable import ProcessoAPI

@Suite struct RegistryCSVTests {
    static let valid = "1012345-35.2024.8.26.0100"
    static let other = "0000094-02.2024.8.26.0100"

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
        let record = RegistryRecord(protocolNumber: "A 1", processNumber: try! CNJNumber(Self.valid), document: nil)
        #expect(rows == [RegistryRow(line: 3, record: record)])
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
        BadFile("duplicate protocol", "protocol,process_number\nA,\(valid)\nA,\(other)\n", line: 3, "already listed on line 2"),
        BadFile(
            "duplicate after normalization", "protocol,process_number\n2024-0001,\(valid)\n 2024.0001 ,\(other)\n", line: 3,
            "already listed on line 2"),
        BadFile(
            "duplicate with another document", "protocol,process_number,document\nA,\(valid),a.pdf\nA,\(valid),b.pdf\n", line: 3,
            "already listed on line 2"),
        BadFile("protocol without letter or digit", "protocol,process_number\n-./,\(valid)\n", line: 2, "has no letter or digit"),
        BadFile("segment digit zero", "protocol,process_number\nA,0000123-21.2024.0.26.0100\n", line: 2, "J must be 1 to 9"),
        BadFile("document with a slash", "protocol,process_number,document\nA,\(valid),autos/1.pdf\n", line: 2, "plain file name"),
        BadFile("document going up", "protocol,process_number,document\nA,\(valid),../1.pdf\n", line: 2, "plain file name"),
        BadFile("document with a backslash", "protocol,process_number,document\nA,\(valid),C:\\autos\\1.pdf\n", line: 2, "plain file name"),
        BadFile("hidden document", "protocol,process_number,document\nA,\(valid),.1.pdf\n", line: 2, "plain file name"),
        BadFile("absolute document path", "protocol;process_number;document\nA;\(valid);/etc/passwd\n", line: 2, "plain file name"),
        BadFile(
            "process with two documents", "protocol,process_number,document\nA,\(valid),a.pdf\nB,\(valid),b.pdf\n", line: 3,
            "has document a.pdf on line 2"),
        BadFile(
            "default and named document", "protocol,process_number,document\nA,\(valid),\nB,\(valid),b.pdf\n", line: 3,
            "has document 10123453520248260100.pdf on line 2"),
        BadFile("two fields under a document header", "protocol,process_number,document\nA,\(valid)\n", line: 2, "expected 3 fields"),
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

    @Test func documentColumnIsRead() throws {
        let csv = "protocol;process_number;document\n2024/0001;\(Self.valid);peticao inicial.pdf\n2024/0002;\(Self.other);\n"

        let (rows, problems) = RegistryCSV.parse(Array(csv.utf8))

        #expect(problems.isEmpty, "\(problems)")
        #expect(rows.map(\.record.document) == ["peticao inicial.pdf", nil])
        #expect(rows.map(\.record.documentFileName) == ["peticao inicial.pdf", "00000940220248260100.pdf"])
        #expect(rows.map(\.record.protocolKey) == ["20240001", "20240002"])
    }

    @Test func repeatedIdenticalRowIsAccepted() {
        let csv = "protocol,process_number\n2024-0001,\(Self.valid)\n20240001,\(Self.valid.filter(\.isNumber))\n"

        let (rows, problems) = RegistryCSV.parse(Array(csv.utf8))

        #expect(problems.isEmpty, "\(problems)")
        #expect(rows.count == 1)
        #expect(rows.first?.line == 2)
    }

    @Test func everyProblemIsListedByLine() {
        let csv = "protocol,process_number,document\nA,\(Self.valid),x/y.pdf\nB,123,\nC,\(Self.other),\nC,\(Self.valid),\n"

        let (rows, problems) = RegistryCSV.parse(Array(csv.utf8))

        #expect(rows.map(\.protocolNumber) == ["C"])
        #expect(problems.map(\.line) == [2, 3, 5])
    }

    @Test func lineWithTwoProblemsReportsBoth() {
        let (rows, problems) = RegistryCSV.parse(Array("protocol,process_number\n,123\n".utf8))

        #expect(rows.isEmpty)
        #expect(problems.map(\.line) == [2, 2])
        #expect(problems.map(\.message).joined().contains("the protocol is empty"))
        #expect(problems.map(\.message).joined().contains("is not a CNJ number"))
    }
}
