import Foundation

/// The explanation `processo-api check-token` prints: the token's header and claims, decoded without
/// trusting them, then every validation step with its outcome.
///
/// Operators run it on a token captured from a failing client. It is output for a terminal, never
/// for a log, because it shows the claims.
public struct TokenCheckReport: Sendable {
    /// The decoded header as indented JSON, or nil when it does not decode.
    public var header: String?
    /// The decoded claims as indented JSON, or nil when they do not decode.
    public var claims: String?
    /// The steps that ran, in order; the last one failed unless the token was accepted.
    public var steps: [TokenValidator.Step]
    /// The first broken rule, nil when the token would be accepted.
    public var error: AuthError?
    public var principal: Principal?

    public var isAccepted: Bool { error == nil }

    /// Validates `token` with the validator's own steps and records each one.
    public init(token: String, validator: TokenValidator, at now: Date, requirement: AccessRequirement? = nil) {
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        header = segments.count > 0 ? Self.indentedJSON(segments[0]) : nil
        claims = segments.count > 1 ? Self.indentedJSON(segments[1]) : nil

        var steps: [TokenValidator.Step] = []
        do throws(AuthError) {
            principal = try validator.validate(token, at: now, requirement: requirement) { steps.append($0) }
        } catch {
            self.error = error
        }
        self.steps = steps
    }

    /// Renders the report as lines of text: header, claims, one line per step and the verdict.
    public func lines(at now: Date) -> [String] {
        var lines = ["Header (not verified):", header ?? "  (not a base64url JSON segment)", "Claims (not verified):"]
        lines.append(claims ?? "  (not a base64url JSON segment)")
        lines.append("Checked at \(ISO8601DateFormatter().string(from: now)):")
        for step in steps {
            if let error = step.error {
                lines.append("  FAIL  \(step.name): \(error.message) [\(error.reason.rawValue)]")
            } else {
                lines.append("  pass  \(step.name)")
            }
        }
        if let error {
            let status =
                switch error.kind {
                case .missingCredentials, .invalidToken: "401"
                case .insufficientScope: "403"
                case .keysUnavailable: "503"
                }
            lines.append("Result: rejected with HTTP \(status), reason \(error.reason.rawValue).")
        } else {
            lines.append("Result: accepted for \(principal?.identity ?? "unknown").")
        }
        return lines
    }

    /// Decodes one segment and indents it, or returns nil when it is not base64url JSON.
    private static func indentedJSON(_ segment: Substring) -> String? {
        guard let bytes = try? Base64URL.decode(segment), let object = try? JSONSerialization.jsonObject(with: Data(bytes)),
            let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return nil }
        return String(decoding: pretty, as: UTF8.self).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    }
}
