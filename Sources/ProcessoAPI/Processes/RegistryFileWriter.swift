import CSQLite
import Foundation

/// Writes a complete registry to a new file and renames it over the registry, so that readers see
/// the old file or the new one and never a half-written one.
struct RegistryFileWriter {
    /// A failed write step: the call and the system's or SQLite's message.
    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    let databasePath: String

    /// Writes `records` to `<registry>.import-<pid>`, flushes it to disk, gives it the old file's
    /// permissions and owner when there is an old file, and renames it over the registry. The
    /// temporary file is removed on failure.
    func write(_ records: [RegistryRecord]) throws(WriteError) {
        let temporaryPath = databasePath + ".import-\(getpid())"
        unlink(temporaryPath)
        var renamed = false
        defer {
            if !renamed { unlink(temporaryPath) }
        }

        do {
            try Self.fill(path: temporaryPath, with: records)
        } catch {
            throw WriteError(description: error.description)
        }
        try Self.flush(path: temporaryPath)
        try copyPermissions(to: temporaryPath)

        guard rename(temporaryPath, databasePath) == 0 else {
            throw WriteError(description: "rename to \(databasePath) failed: \(String(cString: strerror(errno)))")
        }
        renamed = true
        // The rename itself is durable only once the folder is flushed.
        try Self.flush(path: URL(fileURLWithPath: databasePath).deletingLastPathComponent().path)
    }

    /// Creates the database at `path` and inserts every record in one transaction. The connection is
    /// closed when the function returns.
    private static func fill(path: String, with records: [RegistryRecord]) throws(SQLiteError) {
        let database = try SQLiteDatabase(path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX)
        try database.execute("BEGIN")
        for statement in RegistrySchema.create {
            try database.execute(statement)
        }
        let insert = try database.prepare(RegistrySchema.insert)
        for record in records {
            try insert.bind(record.protocolKey, at: 1)
            try insert.bind(record.protocolNumber, at: 2)
            try insert.bind(record.processNumber.digits, at: 3)
            if let document = record.document {
                try insert.bind(document, at: 4)
            }
            _ = try insert.step()
            insert.reset()
        }
        try database.execute("COMMIT")
    }

    /// Runs `fsync` on the file or folder at `path`.
    private static func flush(path: String) throws(WriteError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw WriteError(description: "open \(path) failed: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw WriteError(description: "fsync \(path) failed: \(String(cString: strerror(errno)))")
        }
    }

    /// Gives `path` the mode of the current registry, or 0644 when there is none, so that the service
    /// user can still read it. The owner is copied too when the importer may set it, as root may.
    private func copyPermissions(to path: String) throws(WriteError) {
        var old = stat()
        guard stat(databasePath, &old) == 0 else {
            guard chmod(path, 0o644) == 0 else {
                throw WriteError(description: "chmod \(path) failed: \(String(cString: strerror(errno)))")
            }
            return
        }
        guard chmod(path, old.st_mode & 0o7777) == 0 else {
            throw WriteError(description: "chmod \(path) failed: \(String(cString: strerror(errno)))")
        }
        if geteuid() == 0 {
            guard chown(path, old.st_uid, old.st_gid) == 0 else {
                throw WriteError(description: "chown \(path) failed: \(String(cString: strerror(errno)))")
            }
        }
    }
}

/// An exclusive `flock` on the registry's lock file, held while one import runs. It owns the file
/// descriptor and closes it, which releases the lock, in `release()` or `deinit`.
final class RegistryFileLock {
    private var descriptor: Int32

    /// Creates `<databasePath>.lock` when missing and waits until no other import holds the lock.
    init(databasePath: String) throws(RegistryImportError) {
        let path = databasePath + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .databaseFailed(path: databasePath, reason: "opening the lock file \(path) failed: \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = "locking \(path) failed: \(String(cString: strerror(errno)))"
                close(descriptor)
                throw .databaseFailed(path: databasePath, reason: reason)
            }
        }
        self.descriptor = descriptor
    }

    func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit {
        release()
    }
}
