import Foundation

/// SIGTERM and SIGINT, taken synchronously with `sigwait` instead of by a handler.
///
/// Blocked signals are inherited by threads created afterwards, so blocking them first thing in `main`
/// routes every SIGTERM to `wait()` whichever thread the kernel picks.
public enum TerminationSignals {
    private static var set: sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        return set
    }

    /// Blocks SIGTERM and SIGINT in the calling thread and in every thread it creates later.
    public static func block() {
        var set = set
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits for SIGTERM or SIGINT and returns its name.
    static func wait() -> String {
        var set = set
        var received: Int32 = 0
        while sigwait(&set, &received) != 0 {}
        return received == SIGTERM ? "SIGTERM" : "SIGINT"
    }
}
