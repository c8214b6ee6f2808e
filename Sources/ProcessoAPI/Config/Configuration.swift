import Foundation

/// The service's settings, read once at start from environment variables.
///
/// Names follow the Azure SDK where it has one (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`,
/// `AZURE_AUTHORITY_HOST`); the rest start with `PROCESSO_API_`.
public struct Configuration: Sendable, Equatable {
    /// The Entra ID tenant (directory) id whose tokens are accepted.
    public var tenantID: String
    /// The API app registration's application (client) id.
    public var clientID: String
    /// Accepted `aud` values; by default the client id and `api://{client id}`.
    public var audiences: [String]
    /// Delegated scopes, any one of which a user token must carry in `scp`.
    public var requiredScopes: [String]
    /// App roles that admit app-only tokens through `roles`; empty admits none.
    public var appRoles: [String]
    /// Allowed clock difference, in seconds, when checking `exp` and `nbf`.
    public var clockLeeway: Int
    /// The authority that serves `/{tenant}/v2.0/.well-known/openid-configuration`.
    public var authorityHost: String
    /// An extra PEM file of CA certificates trusted for metadata fetches, besides the system's.
    public var caFile: String?
    /// The address the FastCGI responder listens on when systemd passes no socket.
    public var listenAddress: ListenAddress
    /// Worker threads that accept and serve requests.
    public var workerCount: Int
    /// The SQLite registry of protocols and process numbers.
    public var registryPath: String
    /// The folder of the case PDFs.
    public var documentsDirectory: String
    /// The document served when a request names no process.
    public var defaultDocument: String
    public var logLevel: Logger.Level
    /// Tenants besides `tenantID` whose tokens are accepted, each with its own signing keys.
    public var additionalTenantIDs: [String] = []
    /// Whether to fetch the app-specific signing keys with `?appid={client id}`, which apps with
    /// claims mapping need because Entra ID signs their tokens with their own keys.
    public var usesAppSigningKeys = false
    /// The folder for the cache files of the last good JWKS per tenant; nil disables the cache.
    public var signingKeyCacheDirectory: String? = nil
    /// The longest accepted `exp - iat`, in seconds; nil accepts any lifetime.
    public var maxTokenLifetime: Int? = nil
    /// Limits, cache and workers for reading case documents; see `Configuration+Documents.swift`.
    public var documents = DocumentSettings()
    /// Delegated scopes by route path, for routes that accept others than `requiredScopes`.
    public var routeScopes: [String: [String]] = [:]
    /// App roles by route path, for routes that accept others than `appRoles`.
    public var routeAppRoles: [String: [String]] = [:]

    /// The scopes and app roles of each route that overrides the defaults, by path.
    public var accessRequirements: [String: AccessRequirement] {
        var requirements: [String: AccessRequirement] = [:]
        for path in Set(routeScopes.keys).union(routeAppRoles.keys) {
            requirements[path] = AccessRequirement(scopes: routeScopes[path] ?? requiredScopes, appRoles: routeAppRoles[path] ?? appRoles)
        }
        return requirements
    }

    /// Every accepted tenant once: `tenantID` first, then `additionalTenantIDs` in their order.
    public var tenantIDs: [String] {
        var seen: Set<String> = []
        return ([tenantID] + additionalTenantIDs).filter { seen.insert($0).inserted }
    }

    /// The OpenID configuration URL of the home tenant.
    public var metadataURL: String {
        metadataURL(tenantID: tenantID)
    }

    /// Builds the OpenID configuration URL of `tenantID`, with `?appid=` when app signing keys are used.
    public func metadataURL(tenantID: String) -> String {
        let url = authorityHost.trimmingSuffix("/") + "/" + tenantID + "/v2.0/.well-known/openid-configuration"
        return usesAppSigningKeys ? url + "?appid=" + clientID : url
    }
}

/// The socket address on which the responder accepts FastCGI connections.
public enum ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// A unix socket path; nginx's `fastcgi_pass unix:…`.
    case unix(path: String)
    /// A TCP port on the IPv4 loopback address, `127.0.0.1:9000`.
    case tcp(host: String, port: Int)

    /// Parses `unix:/path`, a bare absolute path, or a loopback `127.0.0.1:port`, `localhost:port` or `:port`.
    ///
    /// FastCGI carries no authentication, so the responder never listens on another interface. IPv6
    /// addresses are not accepted either, because libfcgi 2.4 parses `host:port` at the first colon.
    public init(parsing text: String) throws(ConfigurationError) {
        if text.hasPrefix("unix:") {
            self = .unix(path: String(text.dropFirst(5)))
        } else if text.hasPrefix("/") {
            self = .unix(path: text)
        } else if let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) {
            let host = String(text[..<colon])
            guard host.isEmpty || host == "localhost" || host.hasPrefix("127.") && !host.contains(":") else {
                throw ConfigurationError(
                    "PROCESSO_API_LISTEN must name a loopback TCP address such as 127.0.0.1:9000, because FastCGI has no authentication; got \"\(text)\"."
                )
            }
            self = .tcp(host: host.isEmpty || host == "localhost" ? "127.0.0.1" : host, port: port)
        } else {
            throw ConfigurationError("PROCESSO_API_LISTEN must be unix:/path, /path or 127.0.0.1:port; got \"\(text)\".")
        }
    }

    public var description: String {
        switch self {
        case .unix(let path): "unix:" + path
        case .tcp(let host, let port): "\(host):\(port)"
        }
    }
}

/// An invalid setting; the message names the variable and the accepted form.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var result = self
        while result.hasSuffix(suffix) { result.removeLast(suffix.count) }
        return result
    }
}
