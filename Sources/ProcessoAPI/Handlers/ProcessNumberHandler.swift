import Foundation

/// `GET /getprocessnumber?protocol=P`: the CNJ number registered for a filing protocol.
struct ProcessNumberHandler: Sendable {
    let registry: any ProcessRegistry

    /// The body existing connectors parse: the number in `message`, the caller in `user_email`.
    struct Body: Encodable {
        let message: String
        let userEmail: String

        enum CodingKeys: String, CodingKey {
            case message
            case userEmail = "user_email"
        }
    }

    var route: Route {
        Route(
            path: "/getprocessnumber",
            operationID: "GetProcessNumber",
            summary: "Returns the CNJ process number registered for a filing protocol.",
            queryParameters: [
                QueryParameterSpecification(name: "protocol", description: "The filing protocol number.", isRequired: true)
            ],
            requiresAuthentication: true,
            handler: handle
        )
    }

    func handle(_ context: RequestContext) throws -> Response {
        let protocolNumber = context.query["protocol"]?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !protocolNumber.isEmpty else {
            throw HTTPError(.badRequest, "The query parameter protocol is required, for example ?protocol=2024000123.")
        }

        guard let number = try registry.processNumber(forProtocol: protocolNumber) else {
            throw HTTPError(.notFound, "No process is registered for protocol \(protocolNumber).")
        }

        let identity = context.principal?.identity ?? "unknown"
        return .json(Body(message: number.formatted, userEmail: identity))
    }
}
