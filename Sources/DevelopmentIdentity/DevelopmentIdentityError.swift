/// A failure to create, load, write or use the development identity.
public struct DevelopmentIdentityError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// The signing key file does not exist.
        case keyNotFound
        /// The signing key file exists but is not a readable PEM RSA private key.
        case invalidKey
        /// `create` would overwrite an existing key.
        case keyExists
        /// Reading or writing a file failed.
        case fileSystem
        /// An OpenSSL call failed.
        case crypto
    }

    public var reason: Reason
    /// The file involved, when there is one.
    public var path: String?
    public var message: String

    public init(_ reason: Reason, path: String? = nil, _ message: String) {
        self.reason = reason
        self.path = path
        self.message = message
    }

    public var description: String { message }
}
