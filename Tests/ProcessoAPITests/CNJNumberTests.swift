import Testing

@testable import ProcessoAPI

@Suite struct CNJNumberTests {
    @Test func formattedNumberParses() throws {
        let number = try CNJNumber("0058967-77.2016.8.19.0000")
        #expect(number.digits == "00589677720168190000")
        #expect(number.formatted == "0058967-77.2016.8.19.0000")
    }
}
