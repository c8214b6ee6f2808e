/// `GET /healthz`: whether this responder can serve, for load balancers and operators. No token needed.
struct HealthHandler: Sendable {
    let authenticator: any RequestAuthenticator

    struct Body: Encodable {
        let status: String
        let detail: String
        /// Per tenant: key count, age of the last successful fetch, last error and where the keys came from.
        let signingKeys: [SigningKeyState]

        private enum CodingKeys: String, CodingKey {
            case status, detail
            case signingKeys = "signing_keys"
        }
    }

    var route: Route {
        Route(
            path: "/healthz",
            operationID: "GetHealth",
            summary: "Reports whether the service can validate tokens and serve requests.",
            requiresAuthentication: false,
            handler: handle
        )
    }

    func handle(_ context: RequestContext) throws -> Response {
        let readiness = authenticator.readiness()
        if readiness.isReady {
            return .json(Body(status: "ok", detail: readiness.detail, signingKeys: readiness.signingKeys))
        }
        return .json(Body(status: "unavailable", detail: readiness.detail, signingKeys: readiness.signingKeys), status: .serviceUnavailable)
    }
}
