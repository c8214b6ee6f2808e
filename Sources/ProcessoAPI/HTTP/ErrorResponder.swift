/// The one place that turns an error into an HTTP response.
///
/// A client mistake gets a response that says what went wrong. A server-side failure is logged with its
/// details, and the client gets a sentence that names no path, file or library internals.
struct ErrorResponder: Sendable {
    let realm: String
    let logger: Logger

    func response(for error: any Error, request: Request) -> Response {
        switch error {
        case let error as HTTPError:
            var headers: [(name: String, value: String)] = []
            if !error.allowedMethods.isEmpty {
                headers.append((name: "Allow", value: error.allowedMethods.joined(separator: ", ")))
            }
            return .detail(error.detail, status: error.status, headers: headers)

        case let error as AuthError:
            return response(for: error)

        case let error as CNJNumberError:
            return .detail(Self.message(for: error), status: .badRequest)

        case let error as DocumentError:
            return response(for: error, request: request)

        case let error as RegistryError:
            logger.error(
                "process registry unavailable", ["request.id": request.requestID, "error.message": error.message])
            return .detail("The process registry is unavailable. Try again later.", status: .serviceUnavailable)

        default:
            logger.error(
                "unexpected error", ["request.id": request.requestID, "error.type": String(reflecting: type(of: error))])
            return .detail("Internal server error.", status: .internalServerError)
        }
    }

    /// Builds the RFC 6750 response: a bare challenge without credentials, `invalid_token` or `insufficient_scope` otherwise.
    private func response(for error: AuthError) -> Response {
        let challenge = "Bearer realm=\"\(realm)\""
        switch error.kind {
        case .missingCredentials:
            return .detail("Not authenticated", status: .unauthorized, headers: [(name: "WWW-Authenticate", value: challenge)])
        case .invalidToken:
            let value = challenge + ", error=\"invalid_token\", error_description=\"\(Self.quotable(error.message))\""
            return .detail(error.message, status: .unauthorized, headers: [(name: "WWW-Authenticate", value: value)])
        case .insufficientScope:
            var value = challenge + ", error=\"insufficient_scope\", error_description=\"\(Self.quotable(error.message))\""
            if !error.requiredScopes.isEmpty {
                // RFC 6750 section 3: the scope attribute names the scopes, space-separated, that would grant access.
                value += ", scope=\"\(Self.quotable(error.requiredScopes.joined(separator: " ")))\""
            }
            return .detail(error.message, status: .forbidden, headers: [(name: "WWW-Authenticate", value: value)])
        case .keysUnavailable:
            return .detail(error.message, status: .serviceUnavailable, headers: [(name: "Retry-After", value: "5")])
        }
    }

    private func response(for error: DocumentError, request: Request) -> Response {
        switch error.kind {
        case .notFound:
            return .detail(error.message, status: .notFound)
        case .unreadable, .noTextLayer:
            logger.warning(
                "document unreadable", ["request.id": request.requestID, "error.message": error.underlying ?? error.message])
            return .detail(error.message, status: .unprocessableContent)
        case .tooLarge:
            logger.warning("document over the limits", ["request.id": request.requestID, "error.message": error.message])
            return .detail(error.message, status: .payloadTooLarge)
        case .timedOut:
            logger.error(
                "document extraction timed out", ["request.id": request.requestID, "error.message": error.underlying ?? error.message])
            return .detail(error.message, status: .gatewayTimeout)
        case .busy:
            logger.warning(
                "document extraction rejected", ["request.id": request.requestID, "error.message": error.underlying ?? error.message])
            return .detail(error.message, status: .serviceUnavailable, headers: [(name: "Retry-After", value: "5")])
        case .failed:
            logger.error(
                "document failed", ["request.id": request.requestID, "error.message": error.underlying ?? error.message])
            return .detail(error.message, status: .internalServerError)
        }
    }

    static func message(for error: CNJNumberError) -> String {
        switch error {
        case .invalidFormat:
            "The process number is not a CNJ number: write it as NNNNNNN-DD.AAAA.J.TR.OOOO or as 20 digits."
        case .invalidCheckDigits:
            "The process number has wrong check digits (DD); check it for a typing mistake."
        case .invalidSegment:
            "The process number has segment digit J = 0, but J must be 1 to 9; check it for a typing mistake."
        }
    }

    /// Makes a message safe inside an RFC 7230 quoted string: RFC 6750 allows no `"` or `\` in `error_description`.
    private static func quotable(_ message: String) -> String {
        String(message.unicodeScalars.filter { $0 != "\"" && $0 != "\\" && $0.value >= 0x20 && $0.value < 0x7F }.map(Character.init))
    }
}
