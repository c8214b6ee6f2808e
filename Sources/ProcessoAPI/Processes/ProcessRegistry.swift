/// Looks up the CNJ process number registered for a filing protocol.
public protocol ProcessRegistry: Sendable {
    /// Returns the number for `protocolNumber`, or `nil` when the protocol is not registered.
    func processNumber(forProtocol protocolNumber: String) throws(RegistryError) -> CNJNumber?
}

/// A registry that cannot be read.
public struct RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for the log; never sent to clients because it can name server paths.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { "RegistryError(\(message))" }
}
