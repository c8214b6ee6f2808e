import Dispatch
import Foundation

extension SigningKeyProvider {
    /// Fetches, stores and logs one key set, then schedules the next attempt. Runs on `queue` only.
    func refresh(trigger: String) {
        do throws(SigningKeyError) {
            let fetched = try fetchKeySet()
            let now = clock()
            // Written before the keys are published, so that keys in use are also in the cache file.
            writeCache(fetched, fetchedAt: now)
            let previousKeyIDs = state.withLock { state in
                let previous = Set(state.keys?.keyIDs ?? [])
                state.keys = fetched.keys
                state.fetchedAt = now
                state.keySource = "network"
                state.lastError = nil
                state.consecutiveFailures = 0
                state.unknownKeyIDs = []
                state.isFetching = false
                return previous
            }
            let removed = previousKeyIDs.subtracting(fetched.keys.keyIDs).sorted()
            logger.info(
                "signing keys refreshed",
                [
                    "tenant.id": tenantID, "keys.count": String(fetched.keys.keys.count), "jwt.kids": fetched.keys.keyIDs.joined(separator: ","),
                    "keys.removed": removed.isEmpty ? nil : removed.joined(separator: ","), "refresh.trigger": trigger,
                ])
            for skipped in fetched.keys.skippedKeys {
                logger.notice("signing key skipped", ["tenant.id": tenantID, "jwt.kid": skipped.keyID, "skip.reason": skipped.reason])
            }
            scheduleRefresh(after: refreshDelay(random: Double.random(in: 0...1)))
        } catch {
            let (failures, hasKeys) = state.withLock { state in
                state.consecutiveFailures += 1
                state.lastError = error.message
                state.isFetching = false
                return (state.consecutiveFailures, state.keys != nil)
            }
            let delay = retryDelay(afterFailures: failures)
            logger.warning(
                hasKeys ? "signing key refresh failed; keeping the previous keys" : "signing key fetch failed; no keys loaded yet",
                [
                    "tenant.id": tenantID, "error.message": error.message, "refresh.trigger": trigger, "refresh.failures": String(failures),
                    "retry.seconds": String(format: "%.3f", Self.seconds(delay)),
                ])
            if !hasKeys { loadCacheOnce() }
            scheduleRefresh(after: delay)
        }
    }

    /// Computes the time to the next scheduled refresh: `refreshInterval` moved by up to `refreshJitter`
    /// of itself, earlier or later. `random` is uniform in 0...1; 0.5 means no jitter.
    func refreshDelay(random: Double) -> Duration {
        let factor = 1 + schedule.refreshJitter * (2 * min(max(random, 0), 1) - 1)
        return .milliseconds(Int64((Self.seconds(schedule.refreshInterval) * factor * 1000).rounded()))
    }

    /// Computes the backoff delay: `initialRetryDelay` doubled for each failure after the first, capped at `maxRetryDelay`.
    func retryDelay(afterFailures failures: Int) -> Duration {
        var delay = schedule.initialRetryDelay
        for _ in 1..<max(failures, 1) where delay < schedule.maxRetryDelay {
            delay *= 2
        }
        return min(delay, schedule.maxRetryDelay)
    }

    /// Reads the cache file after the first failed fetch, when no keys are loaded, and uses its keys
    /// when they are younger than `keyValidity`.
    private func loadCacheOnce() {
        guard let cache,
            state.withLock({ state in
                defer { state.hasTriedCache = true }
                return !state.hasTriedCache
            })
        else { return }

        let entry: SigningKeyCache.Entry
        do throws(SigningKeyError) {
            guard let read = try cache.read() else {
                logger.notice("no signing key cache to fall back on", ["tenant.id": tenantID, "cache.path": cache.path])
                return
            }
            entry = read
        } catch {
            logger.warning("signing key cache unusable", ["tenant.id": tenantID, "error.message": error.message])
            return
        }

        let age = clock().timeIntervalSince(entry.fetchedAt)
        guard age <= Self.seconds(schedule.keyValidity) else {
            logger.warning(
                "signing key cache too old to use", ["tenant.id": tenantID, "cache.path": cache.path, "cache.age.seconds": String(Int(age))])
            return
        }
        let loaded = state.withLock { state in
            guard state.keys == nil else { return false }
            state.keys = entry.keys
            state.fetchedAt = entry.fetchedAt
            state.keySource = "cache"
            return true
        }
        if loaded {
            logger.notice(
                "signing keys loaded from cache",
                [
                    "tenant.id": tenantID, "cache.path": cache.path, "cache.age.seconds": String(Int(age)),
                    "keys.count": String(entry.keys.keys.count),
                ])
        }
    }

    private func writeCache(_ fetched: FetchedKeySet, fetchedAt: Date) {
        guard let cache else { return }
        do throws(SigningKeyError) {
            try cache.write(document: fetched.document, jwksURI: fetched.jwksURI, fetchedAt: fetchedAt)
        } catch {
            logger.warning("signing key cache not written", ["tenant.id": tenantID, "error.message": error.message])
        }
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
            // A fetch already queued, say for an unknown kid, schedules the next timer when it finishes.
            let shouldRun = self.state.withLock { state in
                guard state.isRunning, state.timerGeneration == generation, !state.isFetching else { return false }
                state.isFetching = true
                return true
            }
            if shouldRun { self.refresh(trigger: "schedule") }
        }
    }
}
