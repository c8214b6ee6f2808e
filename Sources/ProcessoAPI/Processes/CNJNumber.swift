import Foundation

/// A unified process number in the CNJ format `NNNNNNN-DD.AAAA.J.TR.OOOO` (CNJ Resolution 65/2008).
///
/// `DD` are check digits by ISO 7064 MOD 97-10: the 20 digits read in the order
/// `NNNNNNN AAAA J TR OOOO DD`, as one integer, leave a remainder of 1 when divided by 97. The
/// resolution computes `DD` as 98 − (`NNNNNNN AAAA J TR OOOO` × 100 mod 97), which lies between 02
/// and 98, so the aliases 00, 01 and 99 that also leave a remainder of 1 are rejected. The segment
/// digit `J` names the branch of the judiciary, 1 to 9, so a 0 there is rejected too.
public struct CNJNumber: Sendable, Hashable, CustomStringConvertible {
    /// The 20 digits in the order they are written: `NNNNNNN DD AAAA J TR OOOO`.
    public let digits: String

    /// Parses a number written formatted (`0058967-77.2016.8.19.0000`) or as 20 plain digits.
    public init(_ text: String) throws(CNJNumberError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let bytes = Array(trimmed.utf8)
        let digitBytes: [UInt8]
        if bytes.count == 20 {
            digitBytes = bytes
        } else if bytes.count == 25, Self.hasSeparators(bytes) {
            digitBytes = bytes.enumerated().filter { !Self.separatorOffsets.keys.contains($0.offset) }.map(\.element)
        } else {
            throw .invalidFormat
        }
        guard digitBytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw .invalidFormat
        }
        let digits = String(decoding: digitBytes, as: UTF8.self)
        guard Self.checkDigitsAreValid(digitBytes) else {
            throw .invalidCheckDigits
        }
        guard digitBytes[13] != UInt8(ascii: "0") else {
            throw .invalidSegment
        }
        self.digits = digits
    }

    /// The number with its separators: `NNNNNNN-DD.AAAA.J.TR.OOOO`.
    public var formatted: String {
        let d = Array(digits)
        return String(d[0..<7]) + "-" + String(d[7..<9]) + "." + String(d[9..<13]) + "." + String(d[13]) + "."
            + String(d[14..<16]) + "." + String(d[16..<20])
    }

    public var description: String { formatted }

    /// Offsets of `-` and `.` in the formatted form.
    private static let separatorOffsets: [Int: UInt8] = [
        7: UInt8(ascii: "-"), 10: UInt8(ascii: "."), 15: UInt8(ascii: "."), 17: UInt8(ascii: "."), 20: UInt8(ascii: "."),
    ]

    private static func hasSeparators(_ bytes: [UInt8]) -> Bool {
        separatorOffsets.allSatisfy { bytes[$0.key] == $0.value }
    }

    /// Compares `DD` with the value the other 18 digits call for. A bare remainder check would also
    /// accept 01 for 98, 00 for 97 and 99 for 02, which no court issues.
    static func checkDigitsAreValid(_ digits: [UInt8]) -> Bool {
        expectedCheckDigits(digits) == String(decoding: digits[7..<9], as: UTF8.self)
    }

    /// Returns the check digits `DD` that the other 18 of `digits` (20 ASCII digits in written order) call
    /// for: 98 − (`NNNNNNN AAAA J TR OOOO` × 100 mod 97), always between 02 and 98.
    static func expectedCheckDigits(_ digits: [UInt8]) -> String {
        let checkDigits = 98 - remainder(of: digits[0..<7] + digits[9..<20] + [UInt8(ascii: "0"), UInt8(ascii: "0")])
        return checkDigits < 10 ? "0\(checkDigits)" : String(checkDigits)
    }

    /// Returns the ASCII decimal number in `digits` modulo 97, computed digit by digit so that no
    /// 20-digit integer is needed.
    private static func remainder(of digits: some Sequence<UInt8>) -> Int {
        var remainder = 0
        for digit in digits {
            remainder = (remainder * 10 + Int(digit - UInt8(ascii: "0"))) % 97
        }
        return remainder
    }
}

/// The reason a text is not a CNJ number.
public enum CNJNumberError: Error, Sendable, Equatable {
    /// Not `NNNNNNN-DD.AAAA.J.TR.OOOO` or 20 digits.
    case invalidFormat
    /// The right shape, but the check digits do not match the other 18 digits.
    case invalidCheckDigits
    /// The segment digit `J` is 0, which names no branch of the judiciary.
    case invalidSegment
}
