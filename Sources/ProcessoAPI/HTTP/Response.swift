import Foundation

/// An HTTP response: status, headers and a body that is always JSON.
public struct Response: Sendable {
    public var status: HTTPStatus
    /// Headers besides `Content-Type` and `Content-Length`, which the transport adds.
    public var headers: [(name: String, value: String)]
    /// The encoded JSON body, empty in the response to `HEAD`.
    public private(set) var body: [UInt8]
    /// The length of the body a `GET` would carry, which is also what `HEAD` announces.
    public private(set) var contentLength: Int

    public static let contentType = "application/json; charset=utf-8"

    public init(status: HTTPStatus, headers: [(name: String, value: String)] = [], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
        self.contentLength = body.count
    }

    /// Drops the body but keeps `contentLength`, as the response to `HEAD` does.
    public mutating func omitBody() {
        body = []
    }

    /// Builds a response whose body is `value` encoded as JSON with sorted keys and unescaped slashes.
    public static func json(_ value: some Encodable, status: HTTPStatus = .ok, headers: [(name: String, value: String)] = [])
        -> Response
    {
        do {
            return Response(status: status, headers: headers, body: Array(try JSONCoding.encoder.encode(value)))
        } catch {
            // Encoding plain structs of strings and numbers cannot fail; this keeps the contract total.
            return Response(status: .internalServerError, body: Array(#"{"detail":"Internal server error."}"#.utf8))
        }
    }

    /// Builds the `{"detail": …}` body every error response carries.
    public static func detail(_ message: String, status: HTTPStatus, headers: [(name: String, value: String)] = []) -> Response {
        json(ErrorBody(detail: message), status: status, headers: headers)
    }
}

/// The body of every error response, in the shape FastAPI uses.
public struct ErrorBody: Codable, Sendable, Equatable {
    public var detail: String

    public init(detail: String) {
        self.detail = detail
    }
}

/// Shared JSON coders: building one per request would repeat work that can be done once.
enum JSONCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
