import Dispatch
import Foundation
import Synchronization

/// Fetches one tenant's signing keys from its OpenID configuration and keeps them fresh in the background.
///
/// Requests only read the current snapshot and never wait on the network. After `start()`, the first
/// fetch runs at once on a private queue; when it fails, the last good JWKS is read from the cache file,
/// if there is one younger than `keyValidity`. Keys are then refreshed every `refreshInterval`, with
/// jitter. A successful fetch replaces the whole set, so a key the tenant removed is dropped at once. A
/// failed fetch, or a JWKS that is not JSON, too large or without a usable key, keeps the previous keys,
/// which stay usable until `keyValidity` after the last successful fetch. An unknown `kid` triggers
/// one refetch at most once per `unknownKeyRefetchInterval`, and never while a fetch is queued or running.
public final class SigningKeyProvider: SigningKeySource {
    /// How often the provider fetches; injectable so tests run in milliseconds.
    public struct Schedule: Sendable, Equatable {
        /// Time between successful refreshes, before jitter.
        public var refreshInterval: Duration
        /// The largest share of `refreshInterval` added or taken away at random, so that many responders
        /// started together do not fetch together.
        public var refreshJitter: Double
        /// Minimum time between two refetches caused by unknown `kid`s, so bad tokens cannot make the
        /// service hammer the identity provider.
        public var unknownKeyRefetchInterval: Duration
        /// The delay before the first retry after a failure; it doubles with each further failure.
        public var initialRetryDelay: Duration
        /// The cap on the retry delay.
        public var maxRetryDelay: Duration
        /// How long keys stay usable after the fetch that brought them when later fetches fail.
        public var keyValidity: Duration

        public init(
            refreshInterval: Duration = .seconds(3600), refreshJitter: Double = 0.1, unknownKeyRefetchInterval: Duration = .seconds(300),
            initialRetryDelay: Duration = .seconds(1), maxRetryDelay: Duration = .seconds(60), keyValidity: Duration = .seconds(86_400)
        ) {
            self.refreshInterval = refreshInterval
            self.refreshJitter = refreshJitter
            self.unknownKeyRefetchInterval = unknownKeyRefetchInterval
            self.initialRetryDelay = initialRetryDelay
            self.maxRetryDelay = maxRetryDelay
            self.keyValidity = keyValidity
        }
    }

    /// The maximum number of unknown `kid`s remembered between two fetches. Further ones are still rate-limited, but not remembered.
    static let maxRememberedUnknownKeyIDs = 1024

    struct State {
        /// Nil until the first successful fetch or cache read.
        var keys: JSONWebKeySet?
        /// When the current keys were fetched from the network, by the wall clock.
        var fetchedAt: Date?
        /// `network` or `cache`.
        var keySource: String?
        var lastError: String?
        var consecutiveFailures = 0
        var isRunning = false
        /// True from the moment a fetch is queued until it finishes: at most one fetch is in flight.
        var isFetching = false
        /// Identifies the one pending timer that may still run; older timers see a newer value and return.
        var timerGeneration: UInt64 = 0
        var lastUnknownKeyRefetch: Date?
        /// `kid`s that tokens named since the last successful fetch and that it did not contain.
        var unknownKeyIDs: Set<String> = []
        var hasTriedCache = false
    }

    public let tenantID: String
    /// The tenant's OpenID configuration document.
    public let metadataURL: String
    let client: HTTPClient
    let schedule: Schedule
    let logger: Logger
    let cache: SigningKeyCache?
    /// The wall clock, for key age; tests pass one they can move.
    let clock: @Sendable () -> Date
    let queue = DispatchQueue(label: "processo-api.signing-keys")
    let state = Mutex(State())

    public init(
        tenantID: String, metadataURL: String, client: HTTPClient, logger: Logger, schedule: Schedule = Schedule(),
        cache: SigningKeyCache? = nil, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.tenantID = tenantID
        self.metadataURL = metadataURL
        self.client = client
        self.logger = logger
        self.schedule = schedule
        self.cache = cache
        self.clock = clock
    }

    /// Starts fetching in the background and returns at once. Calling it again while running does nothing.
    public func start() {
        let started = state.withLock { state in
            guard !state.isRunning else { return false }
            state.isRunning = true
            state.isFetching = true
            return true
        }
        guard started else { return }
        logger.info("signing key provider started", ["tenant.id": tenantID, "metadata.url": metadataURL])
        queue.async { self.refresh(trigger: "start") }
    }

    /// Stops background fetching and waits for a fetch in progress to finish; nothing new is scheduled.
    ///
    /// Waiting matters at process exit: OpenSSL's exit handlers free state that a TLS transfer still
    /// running on the queue would use, which crashed the responder when SIGTERM came during a fetch.
    /// Do not call it from the provider's own queue.
    public func stop() {
        state.withLock { state in
            state.isRunning = false
            state.timerGeneration += 1
        }
        queue.sync {}
        logger.info("signing key provider stopped", ["tenant.id": tenantID])
    }

    public func currentKeys(tenantID: String) -> JSONWebKeySet? {
        guard tenantID.lowercased() == self.tenantID else { return nil }
        return usableKeys()
    }

    /// Returns the keys when they are younger than `keyValidity`, else nil.
    func usableKeys() -> JSONWebKeySet? {
        let now = clock()
        return state.withLock { state in
            guard let keys = state.keys, let fetchedAt = state.fetchedAt else { return nil }
            return now.timeIntervalSince(fetchedAt) <= Self.seconds(schedule.keyValidity) ? keys : nil
        }
    }

    /// Queues a refetch unless a fetch is in flight, this `kid` was already reported since the last fetch,
    /// or an unknown `kid` caused a refetch within `unknownKeyRefetchInterval`.
    public func keyIDNotFound(_ keyID: String, tenantID: String) -> UnknownKeyOutcome {
        let now = clock()
        let shouldRefetch = state.withLock { state in
            guard state.isRunning else { return false }
            guard !state.unknownKeyIDs.contains(keyID) else { return false }
            if state.unknownKeyIDs.count < Self.maxRememberedUnknownKeyIDs {
                state.unknownKeyIDs.insert(keyID)
            }
            guard !state.isFetching else { return false }
            if let last = state.lastUnknownKeyRefetch, now.timeIntervalSince(last) < Self.seconds(schedule.unknownKeyRefetchInterval) {
                return false
            }
            state.lastUnknownKeyRefetch = now
            state.isFetching = true
            return true
        }
        guard shouldRefetch else {
            return state.withLock { $0.isFetching } ? .refetching : .notPublished
        }
        logger.info("refetching signing keys for an unknown key id", ["tenant.id": self.tenantID, "jwt.kid": keyID])
        queue.async { self.refresh(trigger: "unknown kid") }
        return .refetching
    }

    public func readiness() -> Readiness {
        let keyState = self.keyState()
        if keyState.keyCount > 0 {
            let noun = keyState.keyCount == 1 ? "1 signing key is loaded." : "\(keyState.keyCount) signing keys are loaded."
            return Readiness(isReady: true, detail: noun, signingKeys: [keyState])
        }
        let (hasExpiredKeys, failures) = state.withLock { ($0.keys != nil, $0.consecutiveFailures) }
        if hasExpiredKeys {
            let hours = Int(Self.seconds(schedule.keyValidity) / 3600)
            return Readiness(
                isReady: false, detail: "The signing keys are older than \(hours) hours and every refresh since failed; retrying.",
                signingKeys: [keyState])
        }
        let attempts = failures == 0 ? "" : " after \(failures) failed attempts"
        return Readiness(isReady: false, detail: "No signing keys have been fetched yet\(attempts); retrying.", signingKeys: [keyState])
    }

    /// Returns the tenant's key count, fetch age and last error, for `/healthz`.
    func keyState() -> SigningKeyState {
        let count = usableKeys()?.keys.count ?? 0
        let now = clock()
        return state.withLock { state in
            SigningKeyState(
                tenantID: tenantID, keyCount: count, lastFetchAgeSeconds: state.fetchedAt.map { max(0, Int(now.timeIntervalSince($0))) },
                lastError: state.lastError, source: state.keySource)
        }
    }

    /// Waits until keys are usable or `timeout` passes, polling the snapshot; returns whether they are.
    /// For start-up and tests, never for the request path.
    public func waitUntilReady(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while usableKeys() == nil {
            guard ContinuousClock.now < deadline else { return false }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return true
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
