import Foundation

extension Configuration {
    /// Reads the configuration from environment variables and checks it.
    ///
    /// - Parameters:
    ///   - environment: The variables, usually `ProcessInfo.processInfo.environment`.
    ///   - processorCount: Cores on this machine; the default worker count is four per core.
    /// - Throws: `ConfigurationError` naming the first variable that is missing or invalid.
    public init(environment: [String: String], processorCount: Int = ProcessInfo.processInfo.activeProcessorCount)
        throws(ConfigurationError)
    {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }

        func list(_ name: String) -> [String]? {
            value(name).map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        }

        func integer(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
            guard let text = value(name) else { return defaultValue }
            guard let number = Int(text), range.contains(number) else {
                throw ConfigurationError("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound); got \"\(text)\".")
            }
            return number
        }

        guard let tenantID = value("AZURE_TENANT_ID") else {
            throw ConfigurationError("AZURE_TENANT_ID is missing: set it to the directory (tenant) id of your Entra ID tenant.")
        }
        guard GUID.isValid(tenantID) else {
            throw ConfigurationError("AZURE_TENANT_ID must be a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47; got \"\(tenantID)\".")
        }
        guard let clientID = value("AZURE_CLIENT_ID") else {
            throw ConfigurationError("AZURE_CLIENT_ID is missing: set it to the application (client) id of the API app registration.")
        }

        let authorityHost = value("AZURE_AUTHORITY_HOST") ?? "https://login.microsoftonline.com"
        guard authorityHost.hasPrefix("https://") else {
            throw ConfigurationError("AZURE_AUTHORITY_HOST must be an https:// URL; got \"\(authorityHost)\".")
        }

        let listenText = value("PROCESSO_API_LISTEN") ?? "unix:/run/processo-api/processo-api.sock"
        let logLevelText = value("PROCESSO_API_LOG_LEVEL") ?? "info"
        guard let logLevel = Logger.Level(name: logLevelText) else {
            let names = Logger.Level.allCases.map(\.name).joined(separator: ", ")
            throw ConfigurationError("PROCESSO_API_LOG_LEVEL must be one of \(names); got \"\(logLevelText)\".")
        }

        let defaultDocument = value("PROCESSO_API_DEFAULT_DOCUMENT") ?? "processo.pdf"
        guard !defaultDocument.contains("/"), defaultDocument != "..", defaultDocument != "." else {
            throw ConfigurationError(
                "PROCESSO_API_DEFAULT_DOCUMENT must be a file name inside the documents folder, not a path; got \"\(defaultDocument)\".")
        }

        let additionalTenantIDs = list("PROCESSO_API_TENANTS")?.map { $0.lowercased() } ?? []
        for tenant in additionalTenantIDs where !GUID.isValid(tenant) {
            throw ConfigurationError("PROCESSO_API_TENANTS must list tenant ids (GUIDs) separated by commas; \"\(tenant)\" is not one.")
        }

        let usesAppSigningKeys: Bool
        switch value("PROCESSO_API_APP_SIGNING_KEYS")?.lowercased() ?? "false" {
        case "true", "yes", "1": usesAppSigningKeys = true
        case "false", "no", "0": usesAppSigningKeys = false
        case let other: throw ConfigurationError("PROCESSO_API_APP_SIGNING_KEYS must be true or false; got \"\(other)\".")
        }

        let cacheDirectory = value("PROCESSO_API_JWKS_CACHE_DIR") ?? "/var/lib/processo-api"
        let maxLifetime = try integer("PROCESSO_API_MAX_TOKEN_LIFETIME", default: 0, range: 0...604_800)

        /// Reads `/path=a,b;/other=c`: per route path, a comma-separated list.
        func routeLists(_ name: String) throws(ConfigurationError) -> [String: [String]] {
            guard let text = value(name) else { return [:] }
            var lists: [String: [String]] = [:]
            for entry in text.split(separator: ";") where !entry.trimmingCharacters(in: .whitespaces).isEmpty {
                let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                let items =
                    parts.count == 2 ? parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
                guard parts.count == 2, parts[0].hasPrefix("/"), !items.isEmpty else {
                    throw ConfigurationError("\(name) must read /path=a,b;/other=c; \"\(entry)\" is not of that form.")
                }
                lists[parts[0]] = items
            }
            return lists
        }

        let scopes = list("PROCESSO_API_SCOPE") ?? ["access_as_user"]
        guard !scopes.isEmpty else {
            throw ConfigurationError("PROCESSO_API_SCOPE must name at least one scope.")
        }

        let audiences = list("PROCESSO_API_AUDIENCES") ?? [clientID, "api://" + clientID]
        guard !audiences.isEmpty else {
            throw ConfigurationError("PROCESSO_API_AUDIENCES must list at least one audience.")
        }

        self.init(
            tenantID: tenantID.lowercased(),
            clientID: clientID,
            audiences: audiences,
            requiredScopes: scopes,
            appRoles: list("PROCESSO_API_APP_ROLES") ?? [],
            clockLeeway: try integer("PROCESSO_API_CLOCK_LEEWAY", default: 60, range: 0...600),
            authorityHost: authorityHost,
            caFile: value("PROCESSO_API_CA_FILE"),
            listenAddress: try ListenAddress(parsing: listenText),
            workerCount: try integer("PROCESSO_API_WORKERS", default: max(1, processorCount) * 4, range: 1...1024),
            registryPath: value("PROCESSO_API_REGISTRY") ?? "/var/lib/processo-api/registry.sqlite3",
            documentsDirectory: value("PROCESSO_API_DOCUMENTS_DIR") ?? "/var/lib/processo-api/pdfs",
            defaultDocument: defaultDocument,
            logLevel: logLevel,
            additionalTenantIDs: additionalTenantIDs,
            usesAppSigningKeys: usesAppSigningKeys,
            signingKeyCacheDirectory: cacheDirectory.lowercased() == "none" ? nil : cacheDirectory,
            maxTokenLifetime: maxLifetime == 0 ? nil : maxLifetime,
            routeScopes: try routeLists("PROCESSO_API_ROUTE_SCOPES"),
            routeAppRoles: try routeLists("PROCESSO_API_ROUTE_APP_ROLES")
        )
        documents = try DocumentSettings(environment: environment)
    }

    /// The effective settings as `NAME=value` lines, for `processo-api check-config`.
    ///
    /// The service uses public keys only, so nothing here is a secret. `AZURE_CLIENT_SECRET`, if an
    /// operator sets it out of habit, is shown masked so the output can be pasted into a ticket.
    public func describe(environment: [String: String]) -> [String] {
        var lines = [
            "AZURE_TENANT_ID=\(tenantID)",
            "AZURE_CLIENT_ID=\(clientID)",
            "AZURE_AUTHORITY_HOST=\(authorityHost)",
            "PROCESSO_API_AUDIENCES=\(audiences.joined(separator: ","))",
            "PROCESSO_API_TENANTS=\(additionalTenantIDs.joined(separator: ","))",
            "PROCESSO_API_SCOPE=\(requiredScopes.joined(separator: ","))",
            "PROCESSO_API_APP_ROLES=\(appRoles.joined(separator: ","))",
            "PROCESSO_API_ROUTE_SCOPES=\(Self.describe(routeScopes))",
            "PROCESSO_API_ROUTE_APP_ROLES=\(Self.describe(routeAppRoles))",
            "PROCESSO_API_CLOCK_LEEWAY=\(clockLeeway)",
            "PROCESSO_API_MAX_TOKEN_LIFETIME=\(maxTokenLifetime ?? 0)",
            "PROCESSO_API_APP_SIGNING_KEYS=\(usesAppSigningKeys)",
            "PROCESSO_API_JWKS_CACHE_DIR=\(signingKeyCacheDirectory ?? "none")",
            "PROCESSO_API_CA_FILE=\(caFile ?? "")",
            "PROCESSO_API_LISTEN=\(listenAddress)",
            "PROCESSO_API_WORKERS=\(workerCount)",
            "PROCESSO_API_REGISTRY=\(registryPath)",
            "PROCESSO_API_DOCUMENTS_DIR=\(documentsDirectory)",
            "PROCESSO_API_DEFAULT_DOCUMENT=\(defaultDocument)",
            "PROCESSO_API_LOG_LEVEL=\(logLevel.name)",
        ]
        lines += documents.describe(
            defaultExtractionWorkers: DocumentSettings.defaultExtractionWorkers(
                processorCount: ProcessInfo.processInfo.activeProcessorCount, responderWorkers: workerCount))
        for tenant in tenantIDs {
            lines.append("metadata URL: \(metadataURL(tenantID: tenant))")
        }
        if environment["AZURE_CLIENT_SECRET"] != nil {
            lines.insert("AZURE_CLIENT_SECRET=*** (not used by this service)", at: 2)
        }
        return lines
    }
}

extension Configuration {
    /// Writes per-route lists back in their `/path=a,b;/other=c` form, paths sorted.
    static func describe(_ lists: [String: [String]]) -> String {
        lists.keys.sorted().map { "\($0)=\(lists[$0, default: []].joined(separator: ","))" }.joined(separator: ";")
    }
}

/// Checks the 8-4-4-4-12 hexadecimal form Entra ID uses for tenant and object ids.
public enum GUID {
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (offset, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(offset) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard (byte >= 48 && byte <= 57) || (byte >= 97 && byte <= 102) || (byte >= 65 && byte <= 70) else { return false }
            }
        }
        return true
    }
}
