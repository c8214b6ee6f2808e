import Foundation
import Testing

/// The `processo-api` binary as an operator runs it.
@Suite struct CommandLineTests {
    let stack: LocalStack

    init() throws {
        stack = try LocalStack.start()
    }

    var binary: String { stack.repository.appendingPathComponent(".build/debug/processo-api").path }

    @Test func checkConfigPrintsEffectiveSettings() throws {
        let output = try Command.run(binary, ["check-config"], environment: stack.environment)
        #expect(output.contains("AZURE_TENANT_ID=\(stack.environment["AZURE_TENANT_ID"] ?? "?")"))
        #expect(output.contains("PROCESSO_API_SCOPE=access_as_user"))
    }

    @Test func checkConfigRejectsInvalidSettings() throws {
        var environment = stack.environment
        environment["AZURE_TENANT_ID"] = "not-a-guid"
        let result = try Self.exitStatus(binary, ["check-config"], environment: environment)
        #expect(result.status == 1)
        #expect(result.errors.contains("AZURE_TENANT_ID must be a GUID"))
    }

    @Test func checkConfigRejectsMissingDocumentsFolder() throws {
        var environment = stack.environment
        environment["PROCESSO_API_DOCUMENTS_DIR"] = stack.path("no-such-folder")
        let result = try Self.exitStatus(binary, ["check-config"], environment: environment)
        #expect(result.status == 1)
        #expect(result.errors.contains("PROCESSO_API_DOCUMENTS_DIR names"))
    }

    @Test func unknownCommandPrintsUsage() throws {
        let result = try Self.exitStatus(binary, ["frobnicate"], environment: stack.environment)
        #expect(result.status == 2)
        #expect(result.errors.contains("Usage: processo-api"))
    }

    @Test func devTokenRefusesWithoutDevelopmentKey() throws {
        var environment = stack.environment
        environment["PROCESSO_API_DEV_IDENTITY_DIR"] = stack.path("no-such-identity")
        let result = try Self.exitStatus(binary, ["dev-token"], environment: environment)
        #expect(result.status != 0)
        #expect(result.errors.contains("development"))
    }

    @Test func checkTokenAcceptsDevelopmentToken() throws {
        let token = try Command.run(binary, ["dev-token"], environment: stack.environment).trimmingCharacters(in: .whitespacesAndNewlines)

        let result = try Command.status(binary, ["check-token", token], environment: stack.environment)

        #expect(result.status == 0, "\(result.output) \(result.errors)")
        #expect(result.output.contains("  pass  signature"))
        #expect(result.output.contains("Result: accepted for "))
    }

    @Test func checkTokenExplainsWrongAudience() throws {
        let token = try Command.run(binary, ["dev-token", "--audience", "api://someone-else"], environment: stack.environment)

        let result = try Command.status(binary, ["check-token", token], environment: stack.environment)

        #expect(result.status == 1)
        #expect(result.output.contains("  FAIL  audience: The token audience (aud) is not this API; expected one of: "))
        #expect(result.output.contains(#""aud" : "api://someone-else""#))
    }

    @Test func checkTokenHintsAtUnknownKeyID() throws {
        let token = try Command.run(binary, ["dev-token"], environment: stack.environment).trimmingCharacters(in: .whitespacesAndNewlines)
        let header = Data(#"{"alg":"RS256","kid":"not-published","typ":"JWT"}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        let forged = header + token.drop { $0 != "." }

        let result = try Command.status(binary, ["check-token", forged], environment: stack.environment)

        #expect(result.status == 1)
        #expect(result.output.contains("  FAIL  key lookup: "))
        #expect(result.output.contains("Hint: the tenant's keys were just fetched and do not include this kid"))
    }

    @Test func checkTokenUsesJWKSFileAndTime() throws {
        let token = try Command.run(binary, ["dev-token", "--expires-in", "60"], environment: stack.environment)
        let jwks = stack.path("identity/www/jwks.json")
        let later = String(Int(Date().timeIntervalSince1970) + 7200)

        let now = try Command.status(binary, ["check-token", "--jwks", jwks, token], environment: stack.environment)
        let expired = try Command.status(binary, ["check-token", "--jwks", jwks, "--at", later, token], environment: stack.environment)

        #expect(now.status == 0, "\(now.output) \(now.errors)")
        #expect(expired.status == 1)
        #expect(expired.output.contains("  FAIL  lifetime: The token has expired"))
    }

    @Test func responderStopsCleanlyOnSIGTERM() throws {
        var environment = stack.environment
        let socket = stack.path("run/lifecycle-\(UUID().uuidString.prefix(8)).sock")
        environment["PROCESSO_API_LISTEN"] = "unix:" + socket

        let pid = try Command.spawn(binary, ["serve"], environment: environment)

        try Self.waitUntil("the socket \(socket) exists") { FileManager.default.fileExists(atPath: socket) }
        let status = try Self.terminate(pid)

        #expect(status == 0)
        #expect(!FileManager.default.fileExists(atPath: socket))
    }

    @Test func responderListensOnLoopbackTCP() throws {
        var environment = stack.environment
        let port = try LocalStack.freePort()
        environment["PROCESSO_API_LISTEN"] = "127.0.0.1:\(port)"

        let pid = try Command.spawn(binary, ["serve"], environment: environment)
        try Self.waitUntil("port \(port) accepts connections") { !LocalStack.isFree(port: port) }
        let status = try Self.terminate(pid)

        #expect(status == 0)
        #expect(LocalStack.isFree(port: port))
    }

    @Test func busyPortFailsWithClearError() throws {
        var environment = stack.environment
        environment["PROCESSO_API_LISTEN"] = "127.0.0.1:\(stack.httpsPort)"
        let result = try Self.exitStatus(binary, ["serve"], environment: environment)

        #expect(result.status == 1)
        #expect(result.errors.contains("bind(127.0.0.1:\(stack.httpsPort)) failed: Address already in use"))
    }

    /// Sends SIGTERM and returns the exit status once the process has ended.
    private static func terminate(_ pid: pid_t) throws -> Int32? {
        kill(pid, SIGTERM)
        var status: Int32?
        try waitUntil("process \(pid) exits") {
            status = Command.exitStatus(of: pid)
            return status != nil
        }
        return status
    }

    private static func waitUntil(_ what: String, timeout: TimeInterval = 15, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else { throw TestFailure("Timed out waiting until \(what).") }
            usleep(50_000)
        }
    }

    private static func exitStatus(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> (
        status: Int32, errors: String
    ) {
        let result = try Command.status(executable, arguments, environment: environment)
        return (result.status, result.errors)
    }
}
