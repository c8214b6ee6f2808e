/// Finds the route for a request's path and method.
public struct Router: Sendable {
    public let routes: [Route]
    private let routesByPath: [String: Route]

    public init(routes: [Route]) {
        precondition(Set(routes.map(\.path)).count == routes.count, "Two routes share a path.")
        self.routes = routes
        self.routesByPath = Dictionary(uniqueKeysWithValues: routes.map { ($0.path, $0) })
    }

    /// Returns the route for `request`, or throws 404 for an unknown path and 405 for another method.
    public func route(for request: Request) throws(HTTPError) -> Route {
        guard let route = routesByPath[request.path] else {
            throw HTTPError(.notFound, "Not Found")
        }
        guard Route.allowedMethods.contains(request.method) else {
            throw HTTPError(.methodNotAllowed, "Method Not Allowed", allowedMethods: Route.allowedMethods)
        }
        return route
    }
}
