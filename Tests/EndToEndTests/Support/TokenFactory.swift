import DevelopmentIdentity
import Foundation

/// Mints tokens with the local stack's development identity, one rule broken at a time.
struct TokenFactory {
    let identity: DevelopmentIdentity
    let tenantID: String
    let clientID: String

    init(stack: LocalStack) throws {
        identity = try DevelopmentIdentity.load(from: stack.path("identity"))
        tenantID = try Self.value(stack.environment, "AZURE_TENANT_ID")
        clientID = try Self.value(stack.environment, "AZURE_CLIENT_ID")
    }

    /// Mints a delegated user token for the API (`aud` `api://{client id}`), with `claims` replacing the defaults
    /// and the claims named in `removing` left out.
    func mint(version: Int = 1, claims overrides: [String: JSONValue] = [:], removing: [String] = [], keyID: String? = nil) throws
        -> String
    {
        var claims = DevelopmentIdentity.userTokenClaims(
            tenantID: tenantID, audience: "api://" + clientID, version: version == 1 ? .v1 : .v2, issuedAt: Date())
        for (name, value) in overrides {
            claims[name] = value
        }
        for name in removing {
            claims[name] = nil
        }
        var header = identity.defaultHeader
        if let keyID {
            header["kid"] = .string(keyID)
        }
        return try identity.mintToken(claims: claims, header: header)
    }

    /// Mints a valid token and changes its signature's first byte, so only the signature check can reject it.
    func mintWithAlteredSignature() throws -> String {
        let token = try mint()
        var parts = token.split(separator: ".").map(String.init)
        var signature = Array(parts[2])
        signature[0] = signature[0] == "A" ? "B" : "A"
        parts[2] = String(signature)
        return parts.joined(separator: ".")
    }

    private static func value(_ environment: [String: String], _ name: String) throws -> String {
        guard let value = environment[name] else { throw TestFailure("The local stack's env file has no \(name).") }
        return value
    }
}
