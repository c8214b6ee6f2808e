import COpenSSL

/// A failed OpenSSL call: the function that failed and the first error on the thread's error queue.
public struct OpenSSLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The OpenSSL function that returned failure, such as `EVP_DigestVerify`.
    public var function: String
    /// The packed code from `ERR_get_error()`, or 0 when OpenSSL queued no error.
    public var code: UInt
    /// OpenSSL's text for `code`, or a sentence saying why the call failed when `code` is 0.
    public var reason: String

    public init(function: String, code: UInt, reason: String) {
        self.function = function
        self.code = code
        self.reason = reason
    }

    /// Builds the error for a failed call from the calling thread's OpenSSL error queue, then empties
    /// the queue so that a stale entry is never blamed on a later, unrelated call (libcurl's TLS too).
    ///
    /// - Parameter fallbackReason: The reason to report when OpenSSL queued nothing, as for a
    ///   signature that is well formed but does not match.
    public static func fromErrorQueue(function: String, fallbackReason: String = "no error queued") -> OpenSSLError {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return OpenSSLError(function: function, code: 0, reason: fallbackReason) }

        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        let reason = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return OpenSSLError(function: function, code: code, reason: reason)
    }

    public var description: String {
        "\(function) failed: \(reason) (OpenSSL error 0x\(String(code, radix: 16)))"
    }
}
