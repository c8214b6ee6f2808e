import DevelopmentIdentity
import Foundation
import Testing

@testable import ProcessoAPI

/// The application with its real parts: token validation with OpenSSL, a SQLite registry and MuPDF.
@Suite struct ApplicationTests {
    let folder: URL
    let logSink = LogSink.capture()
    let registeredProtocol = "2024-0001"
    let registeredNumber = "0058967-77.2016.8.19.0000"

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("processo-api-app-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("pdfs"), withIntermediateDirectories: true)
        try Fixture.data("pdfs/pdfjs_rotation.pdf").write(to: folder.appendingPathComponent("pdfs/processo.pdf"))
        try Data("not a PDF".utf8).write(to: folder.appendingPathComponent("pdfs/00589677720168190000.pdf"))

        let csv = "protocol,process_number\n\(registeredProtocol),\(registeredNumber)\n"
        _ = try RegistryImporter(databasePath: registryPath, logger: Logger(label: "test", sink: logSink))
            .importCSV(Array(csv.utf8), source: "test.csv")
    }

    var registryPath: String { folder.appendingPathComponent("registry.sqlite3").path }

    func application(
        keys: any SigningKeySource, registryPath: String? = nil, accessRequirements: [String: AccessRequirement] = [:]
    ) -> Application {
        let logger = Logger(label: "test", minimumLevel: .debug, sink: logSink)
        return Application(
            authenticator: BearerAuthenticator(policy: TestTenant.policy, keySource: keys, logger: logger, clock: { TestTenant.now }),
            registry: ReopeningProcessRegistry(databasePath: registryPath ?? self.registryPath, logger: logger),
            documents: DocumentLibrary(documentsDirectory: folder.appendingPathComponent("pdfs").path, logger: logger),
            defaultDocument: "processo.pdf",
            logger: logger,
            accessRequirements: accessRequirements
        )
    }

    func application() throws -> Application {
        application(keys: StaticSigningKeys(try TestTenant.identity().keySet()))
    }

    func bearer(_ claims: [String: JSONValue] = TestTenant.userClaims()) throws -> String {
        "Bearer " + (try TestTenant.identity().mintToken(claims: claims))
    }

    func get(_ application: Application, _ path: String, query: String = "", authorization: String? = nil, method: String = "GET")
        -> Response
    {
        application.respond(to: Request(method: method, path: path, rawQuery: query, authorization: authorization, requestID: "test-1"))
    }

    /// Decodes a JSON object body, keeping its string members only.
    func body(_ response: Response) throws -> [String: String] {
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
        return object.compactMapValues { $0 as? String }
    }

    @Test func processNumberReturnsFormattedNumberAndCaller() throws {
        let response = get(try application(), "/getprocessnumber", query: "protocol=\(registeredProtocol)", authorization: try bearer())
        #expect(response.status == .ok)
        #expect(try body(response) == ["message": registeredNumber, "user_email": DevelopmentIdentity.defaultUserPrincipalName])
    }

    @Test func headKeepsLengthWithoutBody() throws {
        let application = try application()
        let authorization = try bearer()
        let get = get(application, "/getprocessnumber", query: "protocol=\(registeredProtocol)", authorization: authorization)
        let head = self.get(
            application, "/getprocessnumber", query: "protocol=\(registeredProtocol)", authorization: authorization, method: "HEAD")

        #expect(head.status == .ok)
        #expect(head.body.isEmpty)
        #expect(head.contentLength == get.body.count)
    }

    @Test func missingHeaderGetsBareChallenge() throws {
        let response = get(try application(), "/getprocessnumber", query: "protocol=1")
        #expect(response.status == .unauthorized)
        #expect(response.headers.map(\.name) == ["WWW-Authenticate"])
        #expect(response.headers.first?.value == #"Bearer realm="processo-api""#)
        #expect(try body(response) == ["detail": "Not authenticated"])
    }

    @Test func expiredTokenGetsInvalidTokenChallenge() throws {
        var claims = TestTenant.userClaims()
        claims["exp"] = .integer(Int(TestTenant.now.timeIntervalSince1970) - 3600)
        let response = get(try application(), "/getprocessnumber", query: "protocol=1", authorization: try bearer(claims))

        #expect(response.status == .unauthorized)
        let challenge = try #require(response.headers.first { $0.name == "WWW-Authenticate" }?.value)
        #expect(challenge.hasPrefix(#"Bearer realm="processo-api", error="invalid_token", error_description=""#))
        let detail = try #require(try body(response)["detail"])
        #expect(challenge.hasSuffix("error_description=\"\(detail)\""))
    }

    @Test func missingScopeIsForbidden() throws {
        var claims = TestTenant.userClaims()
        claims["scp"] = "User.Read"
        let response = get(try application(), "/getprocessnumber", query: "protocol=1", authorization: try bearer(claims))

        #expect(response.status == .forbidden)
        let challenge = try #require(response.headers.first { $0.name == "WWW-Authenticate" }?.value)
        #expect(challenge.contains(#"error="insufficient_scope""#))
    }

    @Test func keysNotYetFetchedIsServiceUnavailable() throws {
        // A provider that was never started has fetched nothing, as at start-up before the first fetch.
        let provider = SigningKeyProvider(
            tenantID: TestTenant.tenantID, metadataURL: "https://127.0.0.1:9/never-fetched", client: HTTPClient(),
            logger: Logger(label: "test", sink: logSink))
        let application = application(keys: provider)

        let protected = get(application, "/getprocessnumber", query: "protocol=1", authorization: try bearer())
        #expect(protected.status == .serviceUnavailable)
        #expect(try body(protected)["detail"] != nil)

        let health = get(application, "/healthz")
        #expect(health.status == .serviceUnavailable)
        #expect(try body(health)["status"] == "unavailable")
    }

    @Test func healthIsReadyWithKeys() throws {
        let response = get(try application(), "/healthz")
        #expect(response.status == .ok)
        #expect(try body(response)["status"] == "ok")
    }

    @Test func healthReportsKeyState() throws {
        let provider = SigningKeyProvider(
            tenantID: TestTenant.tenantID, metadataURL: "https://127.0.0.1:9/never-fetched", client: HTTPClient(),
            logger: Logger(label: "test", sink: logSink))

        let response = get(application(keys: provider), "/healthz")

        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        let states = try #require(object["signing_keys"] as? [[String: Any]])
        #expect(states.count == 1)
        #expect(states.first?["tenant_id"] as? String == TestTenant.tenantID)
        #expect(states.first?["key_count"] as? Int == 0)
        #expect(states.first?["last_fetch_age_seconds"] is NSNull)
        #expect(states.first?["last_error"] is NSNull)
    }

    @Test func routeRequirementOverridesDefaults() throws {
        let requirements = ["/getprocessnumber": AccessRequirement(scopes: ["Processes.Lookup"], appRoles: ["Processes.Lookup.All"])]
        let application = application(keys: StaticSigningKeys(try TestTenant.identity().keySet()), accessRequirements: requirements)
        var lookupClaims = TestTenant.userClaims()
        lookupClaims["scp"] = "Processes.Lookup"

        let defaultScope = get(application, "/getprocessnumber", query: "protocol=\(registeredProtocol)", authorization: try bearer())
        let routeScope = get(application, "/getprocessnumber", query: "protocol=\(registeredProtocol)", authorization: try bearer(lookupClaims))
        let otherRoute = get(application, "/getprocessdetails", authorization: try bearer())

        #expect(defaultScope.status == .forbidden)
        let challenge = try #require(defaultScope.headers.first { $0.name == "WWW-Authenticate" }?.value)
        #expect(challenge.hasSuffix(#", scope="Processes.Lookup""#))
        #expect(routeScope.status == .ok)
        #expect(otherRoute.status == .ok)
    }

    @Test func requirementForUnknownPathIsLogged() throws {
        let requirements = ["/getprocesnumber": AccessRequirement(scopes: ["Processes.Lookup"])]

        _ = application(keys: StaticSigningKeys(try TestTenant.identity().keySet()), accessRequirements: requirements)

        let warning = logSink.capturedLines.first { $0.contains("access requirement names no route") }
        #expect(warning?.contains("route.path=/getprocesnumber") == true)
    }

    @Test func insufficientScopeNamesTheScope() throws {
        var claims = TestTenant.userClaims()
        claims["scp"] = "User.Read"
        let response = get(try application(), "/getprocessnumber", query: "protocol=1", authorization: try bearer(claims))

        let challenge = try #require(response.headers.first { $0.name == "WWW-Authenticate" }?.value)
        #expect(challenge.hasSuffix(#", scope="access_as_user""#))
        #expect(try body(response)["detail"]?.contains("access_as_user") == true)
    }

    @Test func missingRegistryIsUnavailableWithoutPath() throws {
        let missing = folder.appendingPathComponent("missing.sqlite3").path
        let application = application(keys: StaticSigningKeys(try TestTenant.identity().keySet()), registryPath: missing)
        let response = get(application, "/getprocessnumber", query: "protocol=1", authorization: try bearer())

        #expect(response.status == .serviceUnavailable)
        let detail = try #require(try body(response)["detail"])
        #expect(!detail.contains(folder.path))
        let logLine = try #require(logSink.capturedLines.first { $0.contains("process registry unavailable") })
        #expect(logLine.contains("request.id=test-1"))
    }

    @Test func defaultDocumentTextIsReturned() throws {
        let response = get(try application(), "/getprocessdetails", authorization: try bearer())
        #expect(response.status == .ok)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        let text = try #require(body["text"] as? String)
        #expect(!text.isEmpty)
        #expect(body["page_count"] as? Int == 2)
        #expect(body["pages"] as? String == "1-2")
    }

    @Test func unreadableDocumentIsUnprocessableWithoutPath() throws {
        let response = get(try application(), "/getprocessdetails", query: "process=\(registeredNumber)", authorization: try bearer())
        #expect(response.status == .unprocessableContent)
        let detail = try #require(try body(response)["detail"])
        #expect(!detail.contains(folder.path))
    }

    @Test func everyResponseIsJSON() throws {
        let application = try application()
        let authorization = try bearer()
        let cases: [(path: String, query: String, method: String)] = [
            ("/nowhere", "", "GET"), ("/healthz", "", "POST"), ("/getprocessnumber", "protocol=%", "GET"),
            ("/getprocessdetails", "process=12", "GET"), ("/getprocessnumber", "protocol=unknown", "GET"),
        ]
        for (path, query, method) in cases {
            let response = get(application, path, query: query, authorization: authorization, method: method)
            #expect(response.status.code >= 400, "\(method) \(path)?\(query)")
            #expect(try body(response)["detail"] != nil, "\(method) \(path)?\(query)")
        }
    }
}
