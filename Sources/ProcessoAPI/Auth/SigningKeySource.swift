/// The signing keys `BearerAuthenticator` reads: each tenant's current snapshot, a way to report a
/// `kid` it did not find, and readiness.
///
/// `SigningKeyProvider` serves one tenant, `TenantSigningKeys` several, and `StaticSigningKeys` a fixed
/// set in tests and tools.
public protocol SigningKeySource: Sendable {
    /// The usable keys of `tenantID` as of now, or nil when there are none: never fetched, or older
    /// than their validity. Never blocks on the network.
    func currentKeys(tenantID: String) -> JSONWebKeySet?

    /// Reports that a token of `tenantID` named a `kid` its current keys lack, which may mean the
    /// tenant rotated keys. Returns at once; a source may refetch in the background.
    func keyIDNotFound(_ keyID: String, tenantID: String) -> UnknownKeyOutcome

    /// Reports whether keys are loaded and their state, for `/healthz`.
    func readiness() -> Readiness
}

/// What a key source did about an unknown `kid`, which decides the message the client gets.
public enum UnknownKeyOutcome: Sendable, Equatable {
    /// A refetch is queued or running, so the token may be accepted a few seconds later.
    case refetching
    /// The keys were fetched recently enough, or the `kid` was already looked up since the last fetch:
    /// the tenant does not publish this key.
    case notPublished
}

/// A fixed key set that never changes and serves every tenant, for tests and tools.
public struct StaticSigningKeys: SigningKeySource {
    public let keys: JSONWebKeySet

    public init(_ keys: JSONWebKeySet) {
        self.keys = keys
    }

    public func currentKeys(tenantID: String) -> JSONWebKeySet? {
        keys
    }

    public func keyIDNotFound(_ keyID: String, tenantID: String) -> UnknownKeyOutcome {
        .notPublished
    }

    public func readiness() -> Readiness {
        keys.isEmpty
            ? Readiness(isReady: false, detail: "No signing keys are configured.")
            : Readiness(isReady: true, detail: keys.loadedKeysDescription)
    }
}
