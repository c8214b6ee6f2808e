import Foundation

/// The files `writeDiscoveryDocuments` wrote, and the URLs that serve them.
public struct DiscoveryDocuments: Sendable, Equatable {
    /// The URL to use as `AZURE_AUTHORITY_HOST`.
    public var authorityHost: String
    /// The OpenID configuration URL the service derives from the authority host and tenant.
    public var metadataURL: String
    /// The `jwks_uri` the OpenID configuration names.
    public var jwksURL: String
    public var metadataPath: String
    public var jwksPath: String
}

extension DevelopmentIdentity {
    /// Writes the public documents a static web server needs to act as this identity's tenant.
    ///
    /// With `directory` served at `baseURL`, the files are `{directory}/jwks.json` and
    /// `{directory}/{tenant}/v2.0/.well-known/openid-configuration`, the path Entra ID uses, so the
    /// service finds them with `AZURE_AUTHORITY_HOST={baseURL}`. Never serve the folder that contains the
    /// private key.
    public func writeDiscoveryDocuments(to directory: String, baseURL: String, tenantID: String) throws(DevelopmentIdentityError)
        -> DiscoveryDocuments
    {
        var authorityHost = baseURL
        while authorityHost.hasSuffix("/") { authorityHost.removeLast() }

        let root = URL(fileURLWithPath: directory)
        let jwksPath = root.appendingPathComponent("jwks.json").path
        let metadataPath = root.appendingPathComponent("\(tenantID)/v2.0/.well-known/openid-configuration").path
        let documents = DiscoveryDocuments(
            authorityHost: authorityHost, metadataURL: "\(authorityHost)/\(tenantID)/v2.0/.well-known/openid-configuration",
            jwksURL: "\(authorityHost)/jwks.json", metadataPath: metadataPath, jwksPath: jwksPath)

        let metadata: [String: JSONValue] = [
            "issuer": .string(DevelopmentIdentity.issuer(tenantID: tenantID, version: .v2)),
            "jwks_uri": .string(documents.jwksURL),
            "id_token_signing_alg_values_supported": ["RS256"],
        ]
        try Self.write(jwksDocument(), to: jwksPath)
        try Self.write(JSONValue.encodeObject(metadata), to: metadataPath)
        return documents
    }

    private static func write(_ contents: [UInt8], to path: String) throws(DevelopmentIdentityError) {
        do {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // Atomic, so a server never serves a half-written document during a key change.
            try Data(contents).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw DevelopmentIdentityError(.fileSystem, path: path, "Writing \(path) failed: \(error.localizedDescription)")
        }
    }
}
