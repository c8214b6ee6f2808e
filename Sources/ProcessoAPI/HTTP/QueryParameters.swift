/// The decoded parameters of a query string.
///
/// Decoding follows `application/x-www-form-urlencoded`: `+` is a space and `%XX` is the byte XX, each
/// applied exactly once, so `%2B` is a literal `+`. A malformed escape, bytes that are not UTF-8 and a
/// name given twice are rejected, because guessing which value the client meant would hide its bug.
public struct QueryParameters: Sendable, Equatable {
    private var values: [String: String]

    public init(parsing rawQuery: some StringProtocol) throws(HTTPError) {
        var values: [String: String] = [:]
        for pair in rawQuery.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let separator = pair.firstIndex(of: UInt8(ascii: "="))
            let nameBytes = separator.map { pair[..<$0] } ?? pair[...]
            let valueBytes = separator.map { pair[pair.index(after: $0)...] } ?? pair[pair.endIndex...]
            let name = try Self.decode(nameBytes)
            let value = try Self.decode(valueBytes)
            guard values.updateValue(value, forKey: name) == nil else {
                throw HTTPError(.badRequest, "The query parameter \(name) is given more than once.")
            }
        }
        self.values = values
    }

    public subscript(name: String) -> String? {
        values[name]
    }

    static func decode(_ bytes: some Collection<UInt8>) throws(HTTPError) -> String {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "+"):
                decoded.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                let high = bytes.index(after: index)
                guard high != bytes.endIndex, bytes.index(after: high) != bytes.endIndex,
                    let upper = hexValue(bytes[high]), let lower = hexValue(bytes[bytes.index(after: high)])
                else {
                    throw HTTPError(.badRequest, "The query string has a malformed percent escape.")
                }
                decoded.append(upper << 4 | lower)
                index = bytes.index(after: high)
            default:
                decoded.append(byte)
            }
            index = bytes.index(after: index)
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw HTTPError(.badRequest, "The query string is not valid UTF-8 after percent decoding.")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
