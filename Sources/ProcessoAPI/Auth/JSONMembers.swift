import Foundation

/// Finds repeated member names in a JSON object, which Foundation's parsers accept silently and
/// disagree on: with Swift 6.3.1 on Linux, `JSONDecoder` keeps the first duplicate and
/// `JSONSerialization` the last.
///
/// RFC 7515 section 4 lets a JWS parser either reject a header with duplicate names or keep the last
/// one. Parsers that disagree on which duplicate wins let a token mean two things, so this service
/// rejects duplicates in the header and in the claims.
enum JSONMembers {
    /// Returns true when the top-level object of `json` names a member twice. Names are compared after
    /// their escapes are decoded, so `"kid"` and `"\u006bid"` are the same name. Text that is not a
    /// JSON object returns false and is left for the decoder to reject.
    static func hasDuplicateTopLevelMember(_ json: [UInt8]) -> Bool {
        let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        guard json.first(where: { !whitespace.contains($0) }) == UInt8(ascii: "{") else { return false }

        var names = Set<String>()
        var depth = 0
        var index = 0
        var expectingName = false
        while index < json.count {
            let byte = json[index]
            switch byte {
            case UInt8(ascii: "\""):
                guard let end = stringEnd(json, from: index) else { return false }
                if depth == 1 && expectingName {
                    guard let name = decodeString(json[index...end]) else { return false }
                    if !names.insert(name).inserted { return true }
                    expectingName = false
                }
                index = end
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                expectingName = depth == 1 && byte == UInt8(ascii: "{")
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: ","):
                expectingName = depth == 1
            default:
                break
            }
            index += 1
        }
        return false
    }

    /// Finds the quote that closes the string opening at `start`, skipping escaped characters.
    private static func stringEnd(_ json: [UInt8], from start: Int) -> Int? {
        var index = start + 1
        while index < json.count {
            switch json[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index
            default: index += 1
            }
        }
        return nil
    }

    private static func decodeString(_ literal: ArraySlice<UInt8>) -> String? {
        let wrapped = Data("[".utf8) + Data(literal) + Data("]".utf8)
        return (try? JSONSerialization.jsonObject(with: wrapped) as? [String])?.first
    }
}
