/// One endpoint of the API: where it is, what it needs, and the handler that serves it.
///
/// Routes are plain data so that the connector definition and the Postman collection can be
/// generated from the same table the router serves.
public struct Route: Sendable {
    /// The exact path, such as `/getprocessnumber`.
    public let path: String
    /// A stable name for the operation, used as the connector's operation id.
    public let operationID: String
    public let summary: String
    public let queryParameters: [QueryParameterSpecification]
    /// Whether the route needs a valid bearer token; `/healthz` does not.
    public let requiresAuthentication: Bool
    /// The scopes and app roles a token needs here; nil takes the authenticator's defaults.
    public var accessRequirement: AccessRequirement?
    let handler: @Sendable (RequestContext) throws -> Response

    /// The methods of every route: `GET`, and `HEAD`, which returns the `GET` response without a body.
    public static let allowedMethods = ["GET", "HEAD"]

    public init(
        path: String, operationID: String, summary: String, queryParameters: [QueryParameterSpecification] = [],
        requiresAuthentication: Bool, handler: @escaping @Sendable (RequestContext) throws -> Response
    ) {
        self.path = path
        self.operationID = operationID
        self.summary = summary
        self.queryParameters = queryParameters
        self.requiresAuthentication = requiresAuthentication
        self.handler = handler
    }
}

/// A query parameter a route reads.
public struct QueryParameterSpecification: Sendable, Equatable {
    public let name: String
    public let description: String
    public let isRequired: Bool

    public init(name: String, description: String, isRequired: Bool) {
        self.name = name
        self.description = description
        self.isRequired = isRequired
    }
}

/// The input of a handler: the request, its decoded query and, on protected routes, the caller.
public struct RequestContext: Sendable {
    public let request: Request
    public let query: QueryParameters
    /// The verified caller; `nil` only on routes that do not require authentication.
    public let principal: Principal?
}
