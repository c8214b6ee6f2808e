import Foundation

/// The last good JWKS of one tenant on disk, so that a restart during an Entra ID outage still serves.
///
/// The file is JSON: `{"fetched_at": <seconds since 1970>, "jwks_uri": "…", "jwks": <the JWKS as fetched>}`.
/// It contains public keys only. Writes go to a temporary file in the same folder that is then renamed
/// over the old one, so a reader never sees half a file.
public struct SigningKeyCache: Sendable {
    /// The cache file.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Creates the cache for the file of `tenantID` inside `directory`.
    public init(directory: String, tenantID: String) {
        self.init(path: URL(fileURLWithPath: directory).appendingPathComponent("jwks-\(tenantID).json").path)
    }

    /// A cached JWKS and when it was fetched.
    public struct Entry {
        public var keys: JSONWebKeySet
        public var fetchedAt: Date
    }

    /// Replaces the cache file with `document`, a JWKS that parsed and has usable keys.
    public func write(document: [UInt8], jwksURI: String, fetchedAt: Date) throws(SigningKeyError) {
        let prefix: [String: Any] = ["fetched_at": Int(fetchedAt.timeIntervalSince1970), "jwks_uri": jwksURI]
        do {
            // The JWKS goes in as fetched; it parsed as JSON, so the result is JSON too.
            var head = try JSONSerialization.data(withJSONObject: prefix, options: [.sortedKeys])
            head.removeLast()  // the closing brace
            let contents = head + Data(",\"jwks\":".utf8) + Data(document) + Data("}\n".utf8)
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try contents.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SigningKeyError(.cacheUnusable, "Writing the signing key cache \(path) failed: \(error.localizedDescription)")
        }
    }

    /// Reads the cache file, or returns nil when there is none.
    ///
    /// - Throws: `SigningKeyError` with reason `.cacheUnusable` when the file exists but cannot be read,
    ///   is not the cache format or contains no usable key.
    public func read() throws(SigningKeyError) -> Entry? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw SigningKeyError(.cacheUnusable, "The signing key cache \(path) could not be read.")
        }
        let object = try? JSONSerialization.jsonObject(with: contents) as? [String: Any]
        guard let object, let fetchedAt = object["fetched_at"] as? Int, let jwks = object["jwks"] as? [String: Any],
            let jwksData = try? JSONSerialization.data(withJSONObject: jwks)
        else {
            throw SigningKeyError(.cacheUnusable, "The signing key cache \(path) is not a cache file; it is ignored.")
        }
        let keys: JSONWebKeySet
        do {
            keys = try JSONWebKeySet(jsonData: jwksData)
        } catch {
            throw SigningKeyError(.cacheUnusable, "The JWKS in the signing key cache \(path) is unusable: \(error.message)")
        }
        guard !keys.isEmpty else {
            throw SigningKeyError(.cacheUnusable, "The signing key cache \(path) has no usable key.")
        }
        return Entry(keys: keys, fetchedAt: Date(timeIntervalSince1970: TimeInterval(fetchedAt)))
    }
}
