/// What the application needs from authentication: a principal for a request's `Authorization`
/// header, and whether tokens can be checked at all.
public protocol RequestAuthenticator: Sendable {
    /// Checks the header value and returns the caller, or throws the reason the request is refused.
    /// Implementations log each rejection once, with `requestID` and the token's ids, never the token.
    func authenticate(authorization: String?, requestID: String) throws(AuthError) -> Principal

    /// Whether signing keys are loaded; `/healthz` reports it.
    func readiness() -> Readiness
}

/// Whether a component can serve, and why not.
public struct Readiness: Sendable, Equatable {
    public var isReady: Bool
    public var detail: String

    public init(isReady: Bool, detail: String) {
        self.isReady = isReady
        self.detail = detail
    }
}
