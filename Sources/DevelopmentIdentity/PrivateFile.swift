import Foundation

/// Creates files readable only by their owner, for the development private key.
enum PrivateFile {
    /// Writes `contents` to a new file at `path` with mode 0600, creating the parent folder if needed.
    /// `O_EXCL` makes creation fail rather than replace an existing file.
    static func create(_ path: String, contents: [UInt8]) throws(DevelopmentIdentityError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw DevelopmentIdentityError(.fileSystem, path: directory, "Creating the folder \(directory) failed: \(error.localizedDescription)")
        }

        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            if code == EEXIST {
                throw DevelopmentIdentityError(.keyExists, path: path, "The file \(path) already exists, and it is never replaced.")
            }
            throw DevelopmentIdentityError(.fileSystem, path: path, "open(\(path)) failed: \(String(cString: strerror(code))) (errno \(code)).")
        }
        defer { close(descriptor) }

        var offset = 0
        while offset < contents.count {
            let written = contents[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw DevelopmentIdentityError(.fileSystem, path: path, "write(\(path)) failed: \(String(cString: strerror(code))) (errno \(code)).")
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else {
            let code = errno
            throw DevelopmentIdentityError(.fileSystem, path: path, "fsync(\(path)) failed: \(String(cString: strerror(code))) (errno \(code)).")
        }
    }
}
