/// A request the service rejects before any domain code runs: a bad query, an unknown path, a wrong method.
public struct HTTPError: Error, Sendable, Equatable {
    public var status: HTTPStatus
    public var detail: String
    public var allowedMethods: [String]

    public init(_ status: HTTPStatus, _ detail: String, allowedMethods: [String] = []) {
        self.status = status
        self.detail = detail
        self.allowedMethods = allowedMethods
    }
}
