/// An error that made `RegistryImporter` import nothing. The database is left as it was in every case.
public enum RegistryImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The CSV file could not be read, and `reason` is the system's message.
    case unreadableFile(path: String, reason: String)
    /// Some lines are invalid. Every problem in the file is listed, in line order.
    case invalidRows(path: String, problems: [RegistryImportProblem])
    /// SQLite could not create, open or write the database, and the transaction was rolled back.
    case databaseFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "Could not read \(path): \(reason)."
        case .invalidRows(let path, let problems):
            let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
            let lines = problems.map { "  \($0)" }.joined(separator: "\n")
            return "Nothing was imported because \(path) has \(count):\n" + lines
        case .databaseFailed(let path, let reason):
            return "Nothing was imported because the registry \(path) could not be written: \(reason)."
        }
    }
}

/// One invalid line of a registry CSV file.
public struct RegistryImportProblem: Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line number in the file, counting the header as line 1.
    public var line: Int
    /// The line's problem, in a sentence without the line number.
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}
