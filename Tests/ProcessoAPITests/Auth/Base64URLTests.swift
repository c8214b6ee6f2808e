import Testing

@testable import ProcessoAPI

@Suite struct Base64URLTests {
    struct ValidCase: CustomTestStringConvertible, Sendable {
        let text: String
        let bytes: [UInt8]
        var testDescription: String { "\"\(text)\"" }
    }

    /// RFC 4648 section 10 test vectors without padding, plus bytes that use `-` and `_`.
    static let validCases: [ValidCase] = [
        ValidCase(text: "Zg", bytes: Array("f".utf8)),
        ValidCase(text: "Zm8", bytes: Array("fo".utf8)),
        ValidCase(text: "Zm9v", bytes: Array("foo".utf8)),
        ValidCase(text: "Zm9vYg", bytes: Array("foob".utf8)),
        ValidCase(text: "Zm9vYmE", bytes: Array("fooba".utf8)),
        ValidCase(text: "Zm9vYmFy", bytes: Array("foobar".utf8)),
        ValidCase(text: "-_8", bytes: [0xFB, 0xFF]),
        ValidCase(text: "AAAA", bytes: [0, 0, 0]),
    ]

    @Test(arguments: validCases)
    func validTextDecodes(_ testCase: ValidCase) throws {
        #expect(try Base64URL.decode(testCase.text) == testCase.bytes)
    }

    @Test(arguments: validCases)
    func encodingRoundTrips(_ testCase: ValidCase) {
        #expect(Base64URL.encode(testCase.bytes) == testCase.text)
    }

    @Test func allByteValuesRoundTrip() throws {
        let bytes = (0...255).map(UInt8.init)
        for length in 0...bytes.count where length > 0 {
            let prefix = Array(bytes.prefix(length))
            #expect(try Base64URL.decode(Base64URL.encode(prefix)) == prefix, "length \(length)")
        }
    }

    struct InvalidCase: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let error: Base64URL.DecodingError
        var testDescription: String { name }
    }

    static let invalidCases: [InvalidCase] = [
        InvalidCase(name: "empty", text: "", error: .empty),
        InvalidCase(name: "one padding character", text: "Zm8=", error: .invalidCharacter(offset: 3)),
        InvalidCase(name: "two padding characters", text: "Zg==", error: .invalidCharacter(offset: 2)),
        InvalidCase(name: "standard alphabet plus", text: "+_8", error: .invalidCharacter(offset: 0)),
        InvalidCase(name: "standard alphabet slash", text: "-/8", error: .invalidCharacter(offset: 1)),
        InvalidCase(name: "space", text: "Zm9v Yg", error: .invalidCharacter(offset: 4)),
        InvalidCase(name: "line feed", text: "Zm9v\nYg", error: .invalidCharacter(offset: 4)),
        InvalidCase(name: "tab", text: "Zm9v\tA", error: .invalidCharacter(offset: 4)),
        InvalidCase(name: "period", text: "Zm.v", error: .invalidCharacter(offset: 2)),
        InvalidCase(name: "non-ASCII", text: "Zmé", error: .invalidCharacter(offset: 2)),
        InvalidCase(name: "single character", text: "Z", error: .invalidLength),
        InvalidCase(name: "five characters", text: "Zm9vY", error: .invalidLength),
        InvalidCase(name: "nonzero bits after one byte", text: "Zh", error: .nonCanonicalTrailingBits),
        InvalidCase(name: "nonzero bits after two bytes", text: "Zm9", error: .nonCanonicalTrailingBits),
    ]

    @Test(arguments: invalidCases)
    func invalidTextIsRejected(_ testCase: InvalidCase) {
        #expect(throws: testCase.error) { try Base64URL.decode(testCase.text) }
    }
}
