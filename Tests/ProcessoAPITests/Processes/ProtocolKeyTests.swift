import Testing

@testable import ProcessoAPI

@Suite struct ProtocolKeyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var typed: String
        var key: String

        var testDescription: String { typed.debugDescription }
    }

    static let cases: [Case] = [
        Case(typed: "20240001234", key: "20240001234"),
        Case(typed: "  20240001234\t", key: "20240001234"),
        Case(typed: "2024/000.123-4", key: "20240001234"),
        Case(typed: "2024 0001234", key: "20240001234"),
        Case(typed: "\u{00A0}2024-0001234\u{00A0}", key: "20240001234"),
        Case(typed: "ab-12", key: "AB12"),
        Case(typed: "PROT.ab.12", key: "PROTAB12"),
        Case(typed: "ação-7", key: "AÇÃO7"),
        Case(typed: "ac\u{0327}a\u{0303}o-7", key: "AÇÃO7"),
        Case(typed: "0000012", key: "0000012"),
        Case(typed: "-./ ", key: ""),
        Case(typed: "", key: ""),
    ]

    @Test(arguments: cases)
    func normalizes(_ testCase: Case) {
        #expect(ProtocolKey.normalize(testCase.typed) == testCase.key)
    }

    /// A registry stores `2024/0001234` and finds it however a user types the punctuation.
    @Test func registryFindsFormattedProtocol() throws {
        let scratch = try RegistryScratch()
        try scratch.importCSV("protocol,process_number\n2024/0001234,1012345-35.2024.8.26.0100\n")
        let registry = try scratch.openRegistry()

        for typed in ["2024/0001234", " 20240001234 ", "2024.0001234", "2024-000-1234"] {
            let record = try registry.record(forProtocol: typed)
            #expect(record?.processNumber.formatted == "1012345-35.2024.8.26.0100", "\(typed.debugDescription)")
            #expect(record?.protocolNumber == "2024/0001234", "\(typed.debugDescription)")
        }
        #expect(try registry.record(forProtocol: "2024/000123") == nil)
    }
}
