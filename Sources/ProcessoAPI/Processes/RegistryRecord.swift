/// One protocol of the registry: the number it belongs to and the document of that process.
public struct RegistryRecord: Sendable, Equatable {
    /// The protocol as the imported file wrote it, trimmed.
    public var protocolNumber: String
    public var processNumber: CNJNumber
    /// The file name in the documents folder, or `nil` for the default `<20 digits>.pdf`.
    public var document: String?

    public init(protocolNumber: String, processNumber: CNJNumber, document: String?) {
        self.protocolNumber = protocolNumber
        self.processNumber = processNumber
        self.document = document
    }

    /// The key `ProtocolKey` makes of the protocol.
    public var protocolKey: String { ProtocolKey.normalize(protocolNumber) }

    /// The file that `/getprocessdetails` reads for this process.
    public var documentFileName: String { document ?? Self.defaultDocument(for: processNumber) }

    /// Returns `<20 digits>.pdf`, the document of a process whose row names none.
    public static func defaultDocument(for number: CNJNumber) -> String {
        number.digits + ".pdf"
    }
}
