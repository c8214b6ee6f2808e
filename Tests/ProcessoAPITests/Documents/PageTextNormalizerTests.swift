import Foundation
import Testing

@testable import ProcessoAPI

@Suite struct PageTextNormalizerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var expected: String

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "plain ASCII", bytes: Array("Autos n. 1".utf8), expected: "Autos n. 1"),
        Case(name: "precomposed accent", bytes: Array("ação".utf8), expected: "ação"),
        Case(name: "combining accent becomes NFC", bytes: Array("a\u{0301}rea e\u{0302}".utf8), expected: "área ê"),
        Case(name: "cedilla combining", bytes: Array("c\u{0327}a\u{0303}o".utf8), expected: "ção"),
        Case(name: "fi ligature", bytes: Array("\u{FB01}m".utf8), expected: "fim"),
        Case(
            name: "all Latin ligatures", bytes: Array("\u{FB00}\u{FB01}\u{FB02}\u{FB03}\u{FB04}\u{FB05}\u{FB06}".utf8), expected: "fffiflffifflstst"),
        Case(name: "unpaired high surrogate", bytes: [0x61, 0xED, 0xA0, 0x80, 0x62], expected: "a\u{FFFD}b"),
        Case(name: "unpaired low surrogate", bytes: [0xED, 0xB0, 0x80], expected: "\u{FFFD}"),
        Case(name: "code point above U+10FFFF", bytes: [0x61, 0xF4, 0x90, 0x80, 0x80], expected: "a\u{FFFD}"),
        Case(name: "truncated sequence at end", bytes: [0x61, 0xC3], expected: "a\u{FFFD}"),
        Case(name: "overlong NUL", bytes: [0x61, 0xC0, 0x80], expected: "a\u{FFFD}"),
        Case(name: "lead byte F5", bytes: [0xF5, 0x80, 0x80, 0x80, 0x62], expected: "\u{FFFD}b"),
        Case(name: "valid four-byte scalar beside invalid", bytes: [0xF0, 0x9F, 0x93, 0x84, 0xFF], expected: "\u{1F4C4}\u{FFFD}"),
        Case(name: "lone continuation byte", bytes: [0x80, 0x61], expected: "\u{FFFD}a"),
    ]

    @Test(arguments: cases)
    func normalizes(_ testCase: Case) {
        let text = testCase.bytes.withUnsafeBytes { PageTextNormalizer.normalize($0) }

        #expect(text == testCase.expected)
        #expect(text.unicodeScalars.elementsEqual(testCase.expected.unicodeScalars), "the scalars differ")
    }

    @Test func accentsCompareEqualAfterwards() {
        let decomposed = "Concei\u{0063}\u{0327}a\u{0303}o"

        #expect(Array(PageTextNormalizer.normalize(decomposed).utf8) == Array("Conceição".utf8))
    }
}
