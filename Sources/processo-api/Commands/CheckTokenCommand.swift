import Foundation
import ProcessoAPI

/// `processo-api check-token [--at TIME] [--jwks FILE] [--path PATH] [TOKEN|-]`: explains why the
/// service accepts or rejects a token, step by step, with the running configuration. `--path` checks
/// the scopes and app roles of that route instead of the defaults.
///
/// Keys come from `--jwks`, or else from each tenant's OpenID configuration, fetched once, with the
/// cache file as fallback. Exits 0 only when the token would be accepted.
struct CheckTokenCommand {
    let arguments: CommandArguments
    let environment: [String: String]

    init(arguments: ArraySlice<String>, environment: [String: String]) throws(UsageError) {
        self.arguments = try CommandArguments(arguments, allowedOptions: ["at", "jwks", "path"])
        guard self.arguments.positional.count <= 1 else {
            throw UsageError("check-token takes at most one token; use - or nothing to read it from standard input.")
        }
        self.environment = environment
    }

    func run() throws -> Int32 {
        let configuration = try Configuration(environment: environment)
        let now = try checkTime()
        let token = try readToken()
        let policy = TokenPolicy(configuration: configuration)

        let keySets = try loadKeySets(configuration)
        let validator = TokenValidator(policy: policy, keySets: { keySets[$0.lowercased()] })
        // A route without its own scopes and roles uses the defaults, as the responder does.
        let requirement = arguments.options["path"].flatMap { configuration.accessRequirements[$0] }
        let report = TokenCheckReport(token: token, validator: validator, at: now, requirement: requirement)
        for line in report.lines(at: now) {
            print(line)
        }
        if report.error?.reason == .unknownKeyID {
            print(unknownKeyHint(configuration))
        }
        return report.isAccepted ? 0 : 1
    }

    /// Parses `--at` as ISO 8601 (`2026-12-04T20:00:00Z`) or seconds since 1970; now without it.
    private func checkTime() throws(UsageError) -> Date {
        guard let text = arguments.options["at"] else { return Date() }
        if let seconds = TimeInterval(text) { return Date(timeIntervalSince1970: seconds) }
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        throw UsageError("--at must be an ISO 8601 time such as 2026-12-04T20:00:00Z or seconds since 1970; got \"\(text)\".")
    }

    /// Reads the token from the argument, or from standard input when it is `-` or absent. Spaces, line
    /// breaks around it and a leading `Bearer ` are removed, so a pasted header value works too.
    private func readToken() throws(UsageError) -> String {
        var text = arguments.positional.first ?? "-"
        if text == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.lowercased().hasPrefix("bearer ") { text = String(text.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
        guard !text.isEmpty else { throw UsageError("No token given.") }
        return text
    }

    /// Returns the `jwks` member of a signing-key cache file (`jwks-{tenant}.json`), or `contents`
    /// unchanged when it is a plain JWKS, so either file can be passed to `--jwks`.
    private static func unwrappingCacheFile(_ contents: [UInt8]) -> [UInt8] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(contents)) as? [String: Any],
            object["keys"] == nil, let jwks = object["jwks"] as? [String: Any],
            let data = try? JSONSerialization.data(withJSONObject: jwks)
        else {
            return contents
        }
        return Array(data)
    }

    /// Returns the keys by tenant: the `--jwks` file for every tenant, or each tenant's fetched keys.
    private func loadKeySets(_ configuration: Configuration) throws -> [String: JSONWebKeySet] {
        if let path = arguments.options["jwks"] {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw UsageError("--jwks names \(path), which is missing or not readable.")
            }
            let keys: JSONWebKeySet
            do {
                keys = try JSONWebKeySet(jsonData: Self.unwrappingCacheFile(Array(contents)))
            } catch {
                throw UsageError("--jwks names \(path), which is not a JWKS: \(error.message)")
            }
            return Dictionary(uniqueKeysWithValues: configuration.tenantIDs.map { ($0, keys) })
        }

        let logger = Logger(label: "check-token", minimumLevel: .critical)
        var keySets: [String: JSONWebKeySet] = [:]
        for provider in TenantSigningKeys(configuration: configuration, logger: logger).providers.values {
            do throws(SigningKeyError) {
                keySets[provider.tenantID] = try provider.fetchOnce()
            } catch {
                printError("Fetching the signing keys of tenant \(provider.tenantID) failed: \(error.message)")
                if let entry = try? configuration.signingKeyCacheDirectory.map({ SigningKeyCache(directory: $0, tenantID: provider.tenantID) })?
                    .read()
                {
                    printError("Using the cached keys fetched at \(ISO8601DateFormatter().string(from: entry.fetchedAt)).")
                    keySets[provider.tenantID] = entry.keys
                }
            }
        }
        return keySets
    }

    /// Explains an unknown `kid` when the keys are known to be current, which the service cannot do
    /// for a request.
    private func unknownKeyHint(_ configuration: Configuration) -> String {
        if arguments.options["jwks"] != nil {
            return "Hint: the JWKS given with --jwks has no key with this kid."
        }
        let appKeys =
            configuration.usesAppSigningKeys
            ? "" : " If the API app registration uses claims mapping, set PROCESSO_API_APP_SIGNING_KEYS=true."
        return "Hint: the tenant's keys were just fetched and do not include this kid, so the token comes from another tenant or cloud."
            + appKeys
    }

    private func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
