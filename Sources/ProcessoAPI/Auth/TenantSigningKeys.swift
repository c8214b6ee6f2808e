import Foundation

/// The signing keys of every accepted tenant, one `SigningKeyProvider` each, so that one tenant's
/// outage, rotation or flood of unknown `kid`s never affects another's keys or fetch budget.
public final class TenantSigningKeys: SigningKeySource {
    /// The providers by lower-case tenant id.
    public let providers: [String: SigningKeyProvider]
    /// Tenant ids in configuration order, for stable `/healthz` output.
    private let order: [String]

    public init(providers: [SigningKeyProvider]) {
        self.order = providers.map(\.tenantID)
        self.providers = Dictionary(providers.map { ($0.tenantID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Builds one provider per configured tenant, each with its own cache file, all sharing one client.
    public convenience init(
        configuration: Configuration, logger: Logger, schedule: SigningKeyProvider.Schedule = .init(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        let client = HTTPClient(options: HTTPClient.Options(caFile: configuration.caFile))
        let providers = configuration.tenantIDs.map { tenant in
            SigningKeyProvider(
                tenantID: tenant, metadataURL: configuration.metadataURL(tenantID: tenant), client: client, logger: logger,
                schedule: schedule, cache: configuration.signingKeyCacheDirectory.map { SigningKeyCache(directory: $0, tenantID: tenant) },
                clock: clock)
        }
        self.init(providers: providers)
    }

    public func start() {
        for tenant in order { providers[tenant]?.start() }
    }

    public func stop() {
        for tenant in order { providers[tenant]?.stop() }
    }

    public func currentKeys(tenantID: String) -> JSONWebKeySet? {
        providers[tenantID.lowercased()]?.currentKeys(tenantID: tenantID)
    }

    public func keyIDNotFound(_ keyID: String, tenantID: String) -> UnknownKeyOutcome {
        providers[tenantID.lowercased()]?.keyIDNotFound(keyID, tenantID: tenantID) ?? .notPublished
    }

    /// Ready when every tenant has usable keys; the detail names the tenants that have none.
    public func readiness() -> Readiness {
        let states = order.compactMap { providers[$0]?.readiness() }
        let keyStates = states.flatMap(\.signingKeys)
        if states.count == 1, let only = states.first { return only }
        let missing = keyStates.filter { $0.keyCount == 0 }.map(\.tenantID)
        guard missing.isEmpty else {
            return Readiness(
                isReady: false, detail: "No usable signing keys for tenant \(missing.joined(separator: ", ")); retrying.", signingKeys: keyStates)
        }
        let total = keyStates.reduce(0) { $0 + $1.keyCount }
        return Readiness(isReady: true, detail: "\(total) signing keys are loaded for \(keyStates.count) tenants.", signingKeys: keyStates)
    }
}
