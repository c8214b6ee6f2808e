import Foundation
import Synchronization

/// A logger that writes one line per event to standard error, where journald collects it.
///
/// Lines read `2026-12-04T20:04:02.123Z info  responder started listen=unix:/run/x.sock workers=8`.
/// Levels are swift-log's. Metadata keys are dotted (`request.id`, `jwt.kid`, `error.type`); values with
/// spaces are quoted. Never pass a token, a secret or a claims payload as a value.
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case trace, debug, info, notice, warning, error, critical

        public var name: String {
            switch self {
            case .trace: "trace"
            case .debug: "debug"
            case .info: "info"
            case .notice: "notice"
            case .warning: "warning"
            case .error: "error"
            case .critical: "critical"
            }
        }

        public init?(name: String) {
            guard let level = Self.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
            self = level
        }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public typealias Metadata = KeyValuePairs<String, String?>

    public let label: String
    public let minimumLevel: Level
    private let sink: LogSink

    /// - Parameters:
    ///   - label: The component name that starts each line's message context, such as `auth`.
    ///   - minimumLevel: Events below this level are dropped.
    ///   - sink: Where lines go; standard error unless a test captures them.
    public init(label: String, minimumLevel: Level = .info, sink: LogSink = .standardError) {
        self.label = label
        self.minimumLevel = minimumLevel
        self.sink = sink
    }

    /// Returns a logger with the same level and sink for another component.
    public func withLabel(_ label: String) -> Logger {
        Logger(label: label, minimumLevel: minimumLevel, sink: sink)
    }

    public func log(_ level: Level, _ message: String, _ metadata: Metadata = [:]) {
        guard level >= minimumLevel else { return }
        var line = Self.timestamp() + " " + level.name.padding(toLength: 7, withPad: " ", startingAt: 0) + " "
        line += "[" + label + "] " + message
        for (key, value) in metadata {
            guard let value else { continue }
            line += " " + key + "=" + Self.quoted(value)
        }
        sink.write(line + "\n")
    }

    public func debug(_ message: String, _ metadata: Metadata = [:]) { log(.debug, message, metadata) }
    public func info(_ message: String, _ metadata: Metadata = [:]) { log(.info, message, metadata) }
    public func notice(_ message: String, _ metadata: Metadata = [:]) { log(.notice, message, metadata) }
    public func warning(_ message: String, _ metadata: Metadata = [:]) { log(.warning, message, metadata) }
    public func error(_ message: String, _ metadata: Metadata = [:]) { log(.error, message, metadata) }
    public func critical(_ message: String, _ metadata: Metadata = [:]) { log(.critical, message, metadata) }

    private static func quoted(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline })
        guard needsQuotes else { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"" + escaped + "\""
    }

    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(now.tv_nsec / 1_000_000))
    }
}

/// The destination of log lines. Tests use `.capture` to assert what was logged and what was not.
public final class LogSink: Sendable {
    private let isCapturing: Bool
    private let lines = Mutex<[String]>([])

    private init(capturing: Bool) {
        isCapturing = capturing
    }

    /// Writes each line to standard error in one `write(2)`, so lines from worker threads never interleave.
    public static let standardError = LogSink(capturing: false)

    /// Keeps lines in memory instead of printing them.
    public static func capture() -> LogSink { LogSink(capturing: true) }

    /// The lines captured so far; empty for `standardError`.
    public var capturedLines: [String] {
        lines.withLock { $0 }
    }

    func write(_ line: String) {
        if isCapturing {
            lines.withLock { $0.append(line) }
            return
        }
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}
