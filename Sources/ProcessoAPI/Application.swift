/// The service without its transport: routes a `Request`, authenticates it and returns a `Response`.
///
/// The FastCGI adapter, the tests and any later transport call `respond(to:)` from many threads at once.
public final class Application: Sendable {
    public let router: Router
    private let authenticator: any RequestAuthenticator
    private let errors: ErrorResponder
    private let logger: Logger

    /// The realm in every `WWW-Authenticate` challenge.
    public static let realm = "processo-api"

    public init(
        authenticator: any RequestAuthenticator, registry: any ProcessRegistry, documents: any DocumentTextProvider,
        defaultDocument: String, maxResponseBytes: Int = DocumentSettings().maxResponseBytes, logger: Logger,
        accessRequirements: [String: AccessRequirement] = [:]
    ) {
        self.authenticator = authenticator
        self.logger = logger
        self.errors = ErrorResponder(realm: Self.realm, logger: logger)
        let routes = [
            ProcessNumberHandler(registry: registry).route,
            ProcessDetailsHandler(documents: documents, registry: registry, defaultDocument: defaultDocument, maxResponseBytes: maxResponseBytes)
                .route,
            HealthHandler(authenticator: authenticator).route,
        ]
        self.router = Router(
            routes: routes.map { route in
                var route = route
                route.accessRequirement = accessRequirements[route.path] ?? route.accessRequirement
                return route
            })
        for path in accessRequirements.keys.sorted() where !routes.contains(where: { $0.path == path }) {
            logger.warning("access requirement names no route; it is ignored", ["route.path": path])
        }
    }

    public func respond(to request: Request) -> Response {
        var response: Response
        do {
            response = try handle(request)
        } catch {
            response = errors.response(for: error, request: request)
        }
        if request.method == "HEAD" {
            response.omitBody()
        }
        return response
    }

    private func handle(_ request: Request) throws -> Response {
        let route = try router.route(for: request)
        let query = try QueryParameters(parsing: request.rawQuery)
        var principal: Principal?
        if route.requiresAuthentication {
            principal = try authenticator.authenticate(
                authorization: request.authorization, requestID: request.requestID, requirement: route.accessRequirement)
        }
        return try route.handler(RequestContext(request: request, query: query, principal: principal))
    }
}
