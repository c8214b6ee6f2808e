import Synchronization

/// A registry that opens its SQLite file on first use and keeps trying until the file exists.
///
/// The responder may start before the operator's first `registry import`. Until then lookups fail
/// with 503, and the process still starts.
public final class ReopeningProcessRegistry: ProcessRegistry {
    private let databasePath: String
    private let logger: Logger
    private let opened = Mutex<SQLiteProcessRegistry?>(nil)

    public init(databasePath: String, logger: Logger) {
        self.databasePath = databasePath
        self.logger = logger
        _ = try? registry()
    }

    public func processNumber(forProtocol protocolNumber: String) throws(RegistryError) -> CNJNumber? {
        try registry().processNumber(forProtocol: protocolNumber)
    }

    private func registry() throws(RegistryError) -> SQLiteProcessRegistry {
        let result: Result<SQLiteProcessRegistry, RegistryError> = opened.withLock { current in
            if let current { return .success(current) }
            do throws(RegistryError) {
                let registry = try SQLiteProcessRegistry(databasePath: databasePath, logger: logger)
                current = registry
                return .success(registry)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
