/// The caller a verified token describes.
public struct Principal: Sendable, Equatable {
    /// The user's sign-in name for `user_email`: `upn`, `preferred_username`, `email`, `unique_name` or `"unknown"`.
    public var identity: String
    public var objectID: String?
    public var tenantID: String?

    public init(identity: String, objectID: String? = nil, tenantID: String? = nil) {
        self.identity = identity
        self.objectID = objectID
        self.tenantID = tenantID
    }
}
