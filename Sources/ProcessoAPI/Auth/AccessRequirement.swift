/// The authorization a route requires of a verified token: one of its delegated scopes, or one of its app roles.
///
/// A delegated (user) token must list one of `scopes` in `scp`. An app-only token, one with
/// `idtyp` = `app` or without `scp`, must list one of `appRoles` in `roles`. Both lists are compared
/// exactly and case-sensitively.
public struct AccessRequirement: Sendable, Equatable {
    /// Delegated scopes, any one of which admits a user token.
    public var scopes: [String]
    /// App roles, any one of which admits an app-only token. Empty admits none.
    public var appRoles: [String]

    public init(scopes: [String], appRoles: [String] = []) {
        self.scopes = scopes
        self.appRoles = appRoles
    }
}
