/// A complete HTTP response as the client received it.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header fields of the final response, in order, with names as the server sent them.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Returns the first value of the header `name`, compared case-insensitively as HTTP field names are.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
