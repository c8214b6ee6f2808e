import CFastCGI
import Foundation

/// The socket calls the listener needs, each throwing a `ServerError` with errno and the failing call.
enum SystemCall {
    static func socket(domain: Int32) throws(ServerError) -> Int32 {
        let descriptor = Foundation.socket(domain, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw ServerError(call: "socket", errno: errno) }
        return descriptor
    }

    /// Binds `descriptor` to `address` and starts listening; closes the descriptor when either fails.
    static func bindAndListen<Address>(_ descriptor: Int32, address: Address, backlog: Int32, description: String) throws(ServerError) {
        var address = address
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<Address>.size))
            }
        }
        guard bound == 0 else {
            let failure = errno
            close(descriptor)
            throw ServerError(call: "bind(\(description))", errno: failure)
        }
        guard listen(descriptor, backlog) == 0 else {
            let failure = errno
            close(descriptor)
            throw ServerError(call: "listen(\(description))", errno: failure)
        }
    }
}
