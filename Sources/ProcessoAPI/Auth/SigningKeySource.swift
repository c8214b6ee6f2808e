/// The signing keys `BearerAuthenticator` reads: the current snapshot, a way to report a `kid` it did
/// not find, and readiness.
///
/// `SigningKeyProvider` is the production source; `StaticSigningKeys` serves a fixed set in tests.
public protocol SigningKeySource: Sendable {
    /// The keys as of now, or nil when none have ever been fetched. Never blocks on the network.
    func currentKeys() -> JSONWebKeySet?

    /// Reports that a token named a `kid` the current keys lack, which may mean the tenant rotated keys.
    /// Returns at once; a source may refetch in the background.
    func keyIDNotFound(_ keyID: String)

    /// Reports whether keys are loaded, for `/healthz`.
    func readiness() -> Readiness
}

/// A fixed key set that never changes, for tests and tools.
public struct StaticSigningKeys: SigningKeySource {
    public let keys: JSONWebKeySet

    public init(_ keys: JSONWebKeySet) {
        self.keys = keys
    }

    public func currentKeys() -> JSONWebKeySet? {
        keys
    }

    public func keyIDNotFound(_ keyID: String) {}

    public func readiness() -> Readiness {
        keys.isEmpty
            ? Readiness(isReady: false, detail: "No signing keys are configured.")
            : Readiness(isReady: true, detail: keys.loadedKeysDescription)
    }
}
