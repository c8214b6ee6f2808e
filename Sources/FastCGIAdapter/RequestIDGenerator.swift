import Foundation
import Synchronization

/// Request ids for requests that arrive without the proxy's `X-Request-Id`.
///
/// Ids are a random per-process prefix and a counter, so they are unique across restarts without a
/// random draw per request.
final class RequestIDGenerator: Sendable {
    private let prefix: String
    private let counter = Atomic<UInt64>(0)

    init() {
        prefix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    func next() -> String {
        let value = counter.add(1, ordering: .relaxed).newValue
        return prefix + "-" + String(value, radix: 16)
    }

    /// Returns `id` when it is safe to copy into logs (1–64 letters, digits, `-`, `_`, `.`), else `nil`.
    static func accepting(_ id: String) -> String? {
        let bytes = id.utf8
        guard (1...64).contains(bytes.count) else { return nil }
        let allowed = bytes.allSatisfy { byte in
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 45 || byte == 95 || byte == 46
        }
        return allowed ? id : nil
    }
}
