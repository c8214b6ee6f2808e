import CFastCGI
import Foundation
import ProcessoAPI

/// The socket the responder accepts FastCGI connections on.
struct ListenSocket: ~Copyable {
    let descriptor: Int32
    /// The unix socket file this process created and removes at exit; `nil` for inherited and TCP sockets.
    let createdPath: String?
    /// How the socket was obtained, for the start-up log line.
    let origin: String

    /// Takes the socket systemd passes under socket activation, or opens `address`.
    static func open(address: ListenAddress, environment: [String: String], backlog: Int32 = 1024) throws(ServerError) -> ListenSocket {
        if let inherited = inheritedSocket(environment: environment) {
            unsetenv("LISTEN_PID")
            unsetenv("LISTEN_FDS")
            unsetenv("LISTEN_FDNAMES")
            return ListenSocket(descriptor: inherited, createdPath: nil, origin: "systemd socket activation")
        }

        var createdPath: String?
        let libfcgiAddress: String
        switch address {
        case .unix(let path):
            try removeStaleSocket(at: path)
            libfcgiAddress = path
            createdPath = path
        case .tcp(let host, let port):
            libfcgiAddress = "\(host):\(port)"
        }

        let descriptor = FCGX_OpenSocket(libfcgiAddress, backlog)
        guard descriptor >= 0 else {
            throw ServerError(call: "FCGX_OpenSocket(\(address))", errno: errno)
        }
        if let createdPath {
            // libfcgi creates the socket with the process umask; the group (nginx's) needs to connect.
            guard chmod(createdPath, 0o660) == 0 else {
                throw ServerError(call: "chmod(\(createdPath))", errno: errno)
            }
        }
        return ListenSocket(descriptor: descriptor, createdPath: createdPath, origin: address.description)
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
