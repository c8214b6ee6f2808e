import Synchronization

/// A registry that opens its SQLite file on first use, and again whenever an import replaces it.
///
/// The responder may start before the operator's first `registry import`. Until then lookups fail
/// with 503, and the process still starts.
///
/// Every lookup first runs `stat` on the path, which costs microseconds. When the device or inode
/// differs from those of the open file, an import has renamed a new file over it, so the new file is
/// opened and used from then on. A lookup already running on the old file finishes there. Each
/// lookup reads one file that no one changes any more, so it reads the old registry or the new one,
/// never a mix. If the new file cannot be opened, the old one keeps serving and the failure is logged.
public final class ReopeningProcessRegistry: ProcessRegistry {
    private let databasePath: String
    private let logger: Logger
    private struct State {
        var open: SQLiteProcessRegistry?
        /// A file that failed to open, so that it is not retried and logged at every lookup.
        var failed: FileIdentity?
    }

    private let state = Mutex(State())

    public init(databasePath: String, logger: Logger) {
        self.databasePath = databasePath
        self.logger = logger
        _ = try? registry()
    }

    public func record(forProtocol protocolNumber: String) throws(RegistryError) -> RegistryRecord? {
        try registry().record(forProtocol: protocolNumber)
    }

    public func documentName(forProcess number: CNJNumber) throws(RegistryError) -> String? {
        try registry().documentName(forProcess: number)
    }

    /// Returns the registry of the file now at the path, opening it when it is new.
    private func registry() throws(RegistryError) -> SQLiteProcessRegistry {
        let identity = FileIdentity(path: databasePath)
        let result: Result<SQLiteProcessRegistry, RegistryError> = state.withLock { state in
            if let open = state.open, identity == nil || open.fileIdentity == identity || state.failed == identity {
                return .success(open)
            }
            do throws(RegistryError) {
                let registry = try SQLiteProcessRegistry(databasePath: databasePath, logger: logger)
                if state.open != nil {
                    logger.info("process registry reloaded", ["registry.path": databasePath, "registry.rows": String(registry.rowCount)])
                }
                state.open = registry
                state.failed = nil
                return .success(registry)
            } catch {
                guard let open = state.open else { return .failure(error) }
                logger.error("process registry reload failed; the previous file keeps serving", ["error.message": error.message])
                state.failed = identity
                return .success(open)
            }
        }
        return try result.get()
    }
}
