import Dispatch
import Foundation
import Synchronization

/// Fetches the tenant's signing keys from its OpenID configuration and keeps them fresh in the background.
///
/// Requests only read the current snapshot and never wait on the network. After `start()`, the first
/// fetch runs at once on a private queue. Until one succeeds, readiness is false and the provider
/// retries with exponential backoff. Keys are then refreshed every `refreshInterval`. A refresh that
/// fails keeps the last good keys, logs a warning and retries with backoff. A token naming an unknown
/// `kid` triggers a refetch at most once per `unknownKeyRefetchInterval`.
public final class SigningKeyProvider: SigningKeySource {
    /// How often the provider fetches; injectable so tests run in milliseconds.
    public struct Schedule: Sendable, Equatable {
        /// Time between successful refreshes.
        public var refreshInterval: Duration
        /// Minimum time between two refetches caused by unknown `kid`s, so bad tokens cannot make the
        /// service hammer the identity provider.
        public var unknownKeyRefetchInterval: Duration
        /// The delay before the first retry after a failure; it doubles with each further failure.
        public var initialRetryDelay: Duration
        /// The cap on the retry delay.
        public var maxRetryDelay: Duration

        public init(
            refreshInterval: Duration = .seconds(3600), unknownKeyRefetchInterval: Duration = .seconds(300),
            initialRetryDelay: Duration = .seconds(1), maxRetryDelay: Duration = .seconds(60)
        ) {
            self.refreshInterval = refreshInterval
            self.unknownKeyRefetchInterval = unknownKeyRefetchInterval
            self.initialRetryDelay = initialRetryDelay
            self.maxRetryDelay = maxRetryDelay
        }
    }

    struct State {
        /// Nil until the first successful fetch.
        var keys: JSONWebKeySet?
        var consecutiveFailures = 0
        var isRunning = false
        /// Identifies the one pending timer that may still run; older timers see a newer value and return.
        var timerGeneration: UInt64 = 0
        var lastUnknownKeyRefetch: ContinuousClock.Instant?
    }

    /// The tenant's OpenID configuration document.
    public let metadataURL: String
    let client: HTTPClient
    let schedule: Schedule
    let logger: Logger
    private let queue = DispatchQueue(label: "processo-api.signing-keys")
    private let state = Mutex(State())

    public init(metadataURL: String, client: HTTPClient, logger: Logger, schedule: Schedule = Schedule()) {
        self.metadataURL = metadataURL
        self.client = client
        self.logger = logger
        self.schedule = schedule
    }

    /// Builds the provider for the configured tenant, trusting the configured extra CA file besides the
    /// system's.
    public convenience init(configuration: Configuration, logger: Logger, schedule: Schedule = Schedule()) {
        let client = HTTPClient(options: HTTPClient.Options(caFile: configuration.caFile))
        self.init(metadataURL: configuration.metadataURL, client: client, logger: logger, schedule: schedule)
    }

    /// Starts fetching in the background and returns at once. Calling it again while running does nothing.
    public func start() {
        let started = state.withLock { state in
            guard !state.isRunning else { return false }
            state.isRunning = true
            return true
        }
        guard started else { return }
        logger.info("signing key provider started", ["metadata.url": metadataURL])
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
        logger.info("signing key provider stopped")
    }

    public func currentKeys() -> JSONWebKeySet? {
        state.withLock { $0.keys }
    }

    /// Schedules a background refetch unless one was triggered this way within `unknownKeyRefetchInterval`.
    public func keyIDNotFound(_ keyID: String) {
        let now = ContinuousClock.now
        let shouldRefetch = state.withLock { state in
            guard state.isRunning else { return false }
            if let last = state.lastUnknownKeyRefetch, now - last < schedule.unknownKeyRefetchInterval { return false }
            state.lastUnknownKeyRefetch = now
            return true
        }
        guard shouldRefetch else { return }
        logger.info("refetching signing keys for an unknown key id", ["jwt.kid": keyID])
        queue.async { self.refresh(trigger: "unknown kid") }
    }

    public func readiness() -> Readiness {
        state.withLock { state in
            guard let keys = state.keys else {
                let attempts = state.consecutiveFailures == 0 ? "" : " after \(state.consecutiveFailures) failed attempts"
                return Readiness(isReady: false, detail: "No signing keys have been fetched yet\(attempts); retrying.")
            }
            return Readiness(isReady: true, detail: keys.loadedKeysDescription)
        }
    }

    /// Waits until keys are loaded or `timeout` passes, polling the snapshot; returns whether keys are loaded.
    /// For start-up and tests, never for the request path.
    public func waitUntilReady(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while currentKeys() == nil {
            guard ContinuousClock.now < deadline else { return false }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return true
    }

    /// Fetches, stores and logs one key set, then schedules the next attempt. Runs on `queue` only.
    private func refresh(trigger: String) {
        do throws(SigningKeyError) {
            let keys = try fetchKeySet()
            state.withLock { state in
                state.keys = keys
                state.consecutiveFailures = 0
            }
            logger.info(
                "signing keys refreshed",
                ["keys.count": String(keys.keys.count), "jwt.kids": keys.keyIDs.joined(separator: ","), "refresh.trigger": trigger])
            for skipped in keys.skippedKeys {
                logger.notice("signing key skipped", ["jwt.kid": skipped.keyID, "skip.reason": skipped.reason])
            }
            scheduleRefresh(after: schedule.refreshInterval)
        } catch {
            let (failures, hasKeys) = state.withLock { state in
                state.consecutiveFailures += 1
                return (state.consecutiveFailures, state.keys != nil)
            }
            let delay = retryDelay(afterFailures: failures)
            logger.warning(
                hasKeys ? "signing key refresh failed; keeping the previous keys" : "signing key fetch failed; no keys loaded yet",
                [
                    "error.message": error.message, "refresh.trigger": trigger, "refresh.failures": String(failures),
                    "retry.seconds": String(format: "%.3f", Self.seconds(delay)),
                ])
            scheduleRefresh(after: delay)
        }
    }

    /// Computes the backoff delay: `initialRetryDelay` doubled for each failure after the first, capped at `maxRetryDelay`.
    func retryDelay(afterFailures failures: Int) -> Duration {
        var delay = schedule.initialRetryDelay
        for _ in 1..<max(failures, 1) where delay < schedule.maxRetryDelay {
            delay *= 2
        }
        return min(delay, schedule.maxRetryDelay)
    }

    /// Replaces any pending timer with one that refreshes after `delay`, unless the provider is stopped.
    private func scheduleRefresh(after delay: Duration) {
        let generation: UInt64? = state.withLock { state in
            guard state.isRunning else { return nil }
            state.timerGeneration += 1
            return state.timerGeneration
        }
        guard let generation else { return }
        queue.asyncAfter(deadline: .now() + Self.seconds(delay)) { [weak self] in
            guard let self else { return }
            let isCurrent = self.state.withLock { $0.isRunning && $0.timerGeneration == generation }
            if isCurrent { self.refresh(trigger: "schedule") }
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
