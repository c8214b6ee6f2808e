/// Looks up the registry of filing protocols, CNJ process numbers and case documents.
public protocol ProcessRegistry: Sendable {
    /// Returns the record for `protocolNumber` after `ProtocolKey` normalization, or `nil` when the
    /// protocol is not registered.
    func record(forProtocol protocolNumber: String) throws(RegistryError) -> RegistryRecord?

    /// Returns the document file name registered for `number`, or `nil` when the registry names none,
    /// in which case the document is `<20 digits>.pdf`.
    func documentName(forProcess number: CNJNumber) throws(RegistryError) -> String?
}

extension ProcessRegistry {
    /// Returns the number registered for `protocolNumber`, or `nil` when the protocol is not registered.
    public func processNumber(forProtocol protocolNumber: String) throws(RegistryError) -> CNJNumber? {
        try record(forProtocol: protocolNumber)?.processNumber
    }
}

/// A registry that cannot be read.
public struct RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The failure, for the log. It is never sent to clients, because it can name server paths.
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
