import Foundation
import Testing

@testable import ProcessoAPI

@Suite struct CNJNumberTests {
    @Test func formattedNumberParses() throws {
        let number = try CNJNumber("0058967-77.2016.8.19.0000")
        #expect(number.digits == "00589677720168190000")
        #expect(number.formatted == "0058967-77.2016.8.19.0000")
    }

    @Test func twentyDigitsParseAndFormat() throws {
        let number = try CNJNumber("10123453520248260100")
        #expect(number.digits == "10123453520248260100")
        #expect(number.formatted == "1012345-35.2024.8.26.0100")
        #expect(number.description == "1012345-35.2024.8.26.0100")
    }

    @Test func bothFormsGiveEqualNumbers() throws {
        #expect(try CNJNumber("1012345-35.2024.8.26.0100") == CNJNumber("10123453520248260100"))
    }

    @Test func surroundingSpacesAreIgnored() throws {
        #expect(try CNJNumber("  1012345-35.2024.8.26.0100 ").digits == "10123453520248260100")
    }

    /// An example from a public validator's test suite; see `Fixtures/cnj/README.md`.
    struct Example: Decodable, Sendable, CustomTestStringConvertible {
        var number: String
        var checkDigitsValid: Bool

        enum CodingKeys: String, CodingKey {
            case number
            case checkDigitsValid = "check_digits_valid"
        }

        var testDescription: String { number }
    }

    struct ExampleFile: Decodable {
        var numbers: [Example]
    }

    static func loadExamples() throws -> [Example] {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let data = try Data(contentsOf: folder.appendingPathComponent("cnj/check-digit-examples.json"))
        return try JSONDecoder().decode(ExampleFile.self, from: data).numbers
    }

    @Test func publicExamplesMatchTheirVerdict() throws {
        let examples = try Self.loadExamples()
        try #require(examples.count >= 10, "the examples file lost entries")

        for example in examples {
            let result = Result { () throws(CNJNumberError) in try CNJNumber(example.number) }
            if example.checkDigitsValid {
                #expect(throws: Never.self, "\(example.number) is valid but was rejected") { try result.get() }
            } else {
                #expect(throws: CNJNumberError.invalidCheckDigits, "\(example.number) has wrong check digits") { try result.get() }
            }
        }
    }

    /// Numbers built for these tests with DD = 98 − (NNNNNNN AAAA J TR OOOO × 100 mod 97), chosen for
    /// the extreme check digits and for leading zeros that an integer conversion would drop.
    static let builtNumbers: [(formatted: String, digits: String)] = [
        ("0000094-02.2024.8.26.0100", "00000940220248260100"),  // DD = 02, the smallest possible
        ("0000023-97.2024.8.26.0100", "00000239720248260100"),  // DD = 97
        ("0000010-98.2024.8.26.0100", "00000109820248260100"),  // DD = 98, the largest possible
        ("0000001-95.2020.1.00.0000", "00000019520201000000"),  // zeros in every field but the year
        ("0000000-48.2000.5.01.0001", "00000004820005010001"),  // NNNNNNN all zeros
        ("1012345-35.2024.8.26.0100", "10123453520248260100"),  // the main sample PDF's number
    ]

    @Test(arguments: builtNumbers.map(\.formatted))
    func builtNumberIsValid(_ formatted: String) throws {
        let digits = try #require(Self.builtNumbers.first { $0.formatted == formatted }).digits

        let fromFormatted = try CNJNumber(formatted)
        let fromDigits = try CNJNumber(digits)

        #expect(fromFormatted.digits == digits)
        #expect(fromDigits.formatted == formatted)
        #expect(CNJNumber.expectedCheckDigits(Array(digits.utf8)) == String(Array(formatted)[8..<10]))
    }

    /// The last three leave a remainder of 1 like the true check digits 98, 97 and 02 do, but lie
    /// outside the 02–98 range that the CNJ formula produces.
    static let wrongCheckDigits = [
        "0000094-03.2024.8.26.0100",
        "0000010-97.2024.8.26.0100",
        "10123453620248260100",
        "0000010-01.2024.8.26.0100",
        "0000023-00.2024.8.26.0100",
        "0000094-99.2024.8.26.0100",
    ]

    @Test(arguments: wrongCheckDigits)
    func wrongCheckDigitsAreRejected(_ text: String) {
        #expect(throws: CNJNumberError.invalidCheckDigits, "\(text) was accepted") { try CNJNumber(text) }
    }

    /// Valid check digits, built with the formula above, around a segment digit `J` of 0.
    @Test func segmentZeroIsRejected() {
        let digits = Array("00001230020240260100".utf8)
        let checkDigits = CNJNumber.expectedCheckDigits(digits)
        let number = "0000123-\(checkDigits).2024.0.26.0100"

        #expect(throws: CNJNumberError.invalidSegment, "\(number) was accepted") { try CNJNumber(number) }
        #expect(throws: Never.self) { try CNJNumber("0000123-\(CNJNumber.expectedCheckDigits(Array("00001230020241260100".utf8))).2024.1.26.0100") }
    }

    static let badShapes = [
        "",
        "1012345-35.2024.8.26.010",  // one digit short
        "1012345-35.2024.8.26.01000",  // one digit long
        "1012345353.2024.8.26.0100",  // separator replaced by a digit
        "1012345.35-2024.8.26.0100",  // separators swapped
        "1012345-35.2024.8.26.O100",  // letter O for zero
        "1012345-35 2024 8 26 0100",  // spaces for separators
        "1012345352024826010",  // 19 digits
        "101234535202482601000",  // 21 digits
        "1012345-35.2024.8.26.0100\n1",  // a second line
        "１０１２３４５３５２０２４８２６０１００",  // full-width digits
        "-1012345352024826010",  // a sign
    ]

    @Test(arguments: badShapes)
    func badShapeIsRejected(_ text: String) {
        #expect(throws: CNJNumberError.invalidFormat, "\(text.debugDescription) was not rejected as malformed") { try CNJNumber(text) }
    }
}
