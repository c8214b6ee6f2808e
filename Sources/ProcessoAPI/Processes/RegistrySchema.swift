/// The SQLite layout of the registry file, and how to read files written before it.
///
/// Version 2, the current one (`PRAGMA user_version = 2`):
///
///     processes(protocol_key TEXT PRIMARY KEY, protocol TEXT NOT NULL,
///               process_number TEXT NOT NULL, document TEXT)
///
/// `protocol_key` is `ProtocolKey.normalize(protocol)`, `process_number` the 20 digits and `document`
/// a file name or NULL for `<20 digits>.pdf`. Version 0 files, written before documents and
/// protocol normalization existed, have `processes(protocol TEXT PRIMARY KEY, process_number TEXT)`
/// with trimmed protocols. They are read as they are, and the next import rewrites them as version 2.
enum RegistrySchema {
    static let version = 2

    static let create = [
        """
        CREATE TABLE processes (
            protocol_key TEXT PRIMARY KEY, protocol TEXT NOT NULL, process_number TEXT NOT NULL, document TEXT)
        """,
        "CREATE INDEX processes_by_number ON processes (process_number)",
        "PRAGMA user_version = \(version)",
    ]

    static let insert = """
        INSERT INTO processes (protocol_key, protocol, process_number, document) VALUES (?1, ?2, ?3, ?4)
        ON CONFLICT (protocol_key) DO UPDATE SET
            protocol = excluded.protocol, process_number = excluded.process_number, document = excluded.document
        """

    /// Returns the queries for a file of `version`: one record by protocol, the document of a process,
    /// and every record in protocol order. Each returns protocol, process number and document columns.
    static func queries(version: Int) -> (byProtocol: String, documentOfProcess: String, all: String) {
        if version >= 2 {
            return (
                "SELECT protocol, process_number, document FROM processes WHERE protocol_key = ?1",
                "SELECT document FROM processes WHERE process_number = ?1 AND document IS NOT NULL LIMIT 1",
                "SELECT protocol, process_number, document FROM processes ORDER BY protocol_key"
            )
        }
        return (
            "SELECT protocol, process_number, NULL FROM processes WHERE protocol = ?1",
            "SELECT NULL FROM processes WHERE process_number = ?1 AND 0",
            "SELECT protocol, process_number, NULL FROM processes ORDER BY protocol"
        )
    }

    static func userVersion(of database: SQLiteDatabase) throws(SQLiteError) -> Int {
        let statement = try database.prepare("PRAGMA user_version")
        _ = try statement.step()
        return statement.integer(at: 0)
    }
}
