import CFastCGI
import Foundation
import ProcessoAPI

/// The socket the responder accepts FastCGI connections on.
struct ListenSocket: ~Copyable {
    let descriptor: Int32
    /// The unix socket file this process created and removes at exit; `nil` for inherited and TCP sockets.
    let createdPath: String?
    /// The socket's source for the start-up log line: an address or systemd socket activation.
    let origin: String

    /// Takes the socket systemd passes under socket activation, or opens `address`.
    ///
    /// The socket is opened here rather than with `FCGX_OpenSocket`, because libfcgi 2.4 calls `exit()`
    /// when binding fails instead of returning an error.
    static func open(address: ListenAddress, environment: [String: String], backlog: Int32 = 1024) throws(ServerError) -> ListenSocket {
        if let inherited = inheritedSocket(environment: environment) {
            unsetenv("LISTEN_PID")
            unsetenv("LISTEN_FDS")
            unsetenv("LISTEN_FDNAMES")
            return ListenSocket(descriptor: inherited, createdPath: nil, origin: "systemd socket activation")
        }

        switch address {
        case .unix(let path):
            try removeStaleSocket(at: path)
            let descriptor = try SystemCall.socket(domain: AF_UNIX)
            var socketAddress = sockaddr_un()
            socketAddress.sun_family = sa_family_t(AF_UNIX)
            let pathBytes = Array(path.utf8)
            guard pathBytes.count < MemoryLayout.size(ofValue: socketAddress.sun_path) else {
                close(descriptor)
                throw ServerError(call: "listen on \(path): the socket path is too long", errno: ENAMETOOLONG)
            }
            withUnsafeMutableBytes(of: &socketAddress.sun_path) { buffer in
                buffer.copyBytes(from: pathBytes)
            }
            try SystemCall.bindAndListen(descriptor, address: socketAddress, backlog: backlog, description: address.description)
            // The socket file gets the process umask; nginx's group needs to connect.
            guard chmod(path, 0o660) == 0 else {
                let failure = errno
                close(descriptor)
                throw ServerError(call: "chmod(\(path))", errno: failure)
            }
            return ListenSocket(descriptor: descriptor, createdPath: path, origin: address.description)

        case .tcp(let host, let port):
            let descriptor = try SystemCall.socket(domain: AF_INET)
            var reuse: Int32 = 1
            setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET, host, &socketAddress.sin_addr) == 1 else {
                close(descriptor)
                throw ServerError(call: "listen on \(address): \(host) is not an IPv4 address", errno: EINVAL)
            }
            try SystemCall.bindAndListen(descriptor, address: socketAddress, backlog: backlog, description: address.description)
            return ListenSocket(descriptor: descriptor, createdPath: nil, origin: address.description)
        }
    }

    /// Returns fd 3 when systemd started this process with one listening socket (`sd_listen_fds(3)`).
    private static func inheritedSocket(environment: [String: String]) -> Int32? {
        guard let pid = environment["LISTEN_PID"].flatMap(Int32.init), pid == getpid(),
            let count = environment["LISTEN_FDS"].flatMap(Int.init), count >= 1
        else {
            return nil
        }
        return 3
    }

    /// Removes a socket file left by a previous run; refuses to remove anything that is not a socket.
    private static func removeStaleSocket(at path: String) throws(ServerError) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        guard (status.st_mode & S_IFMT) == S_IFSOCK else {
            throw ServerError(call: "listen on \(path): the path exists and is not a socket", errno: EEXIST)
        }
        guard unlink(path) == 0 else {
            throw ServerError(call: "unlink(\(path))", errno: errno)
        }
    }

    /// Makes `accept` return `EAGAIN` instead of blocking, so a worker that loses the race for a
    /// connection goes back to waiting on its stop signal too.
    func setNonBlocking() throws(ServerError) {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw ServerError(call: "fcntl(O_NONBLOCK)", errno: errno)
        }
    }

    deinit {
        if let createdPath {
            close(descriptor)
            unlink(createdPath)
        }
    }
}

/// A system call that failed while starting or running the server.
public struct ServerError: Error, CustomStringConvertible {
    public let call: String
    public let errno: Int32

    public var description: String {
        "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }
}
