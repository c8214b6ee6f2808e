import Testing

@testable import ProcessoAPI

@Suite struct ConfigurationTests {
    let minimal = [
        "AZURE_TENANT_ID": "72F988BF-86F1-41AF-91AB-2D7CD011DB47",
        "AZURE_CLIENT_ID": "11111111-2222-3333-4444-555555555555",
    ]

    @Test func defaultsFollowTheClientID() throws {
        let configuration = try Configuration(environment: minimal, processorCount: 2)
        #expect(configuration.tenantID == "72f988bf-86f1-41af-91ab-2d7cd011db47")
        #expect(configuration.audiences == ["11111111-2222-3333-4444-555555555555", "api://11111111-2222-3333-4444-555555555555"])
        #expect(configuration.requiredScopes == ["access_as_user"])
        #expect(configuration.appRoles.isEmpty)
        #expect(configuration.clockLeeway == 60)
        #expect(configuration.workerCount == 8)
        #expect(configuration.listenAddress == .unix(path: "/run/processo-api/processo-api.sock"))
        #expect(configuration.tenantIDs == ["72f988bf-86f1-41af-91ab-2d7cd011db47"])
        #expect(configuration.usesAppSigningKeys == false)
        #expect(configuration.signingKeyCacheDirectory == "/var/lib/processo-api")
        #expect(configuration.maxTokenLifetime == nil)
        #expect(
            configuration.metadataURL
                == "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0/.well-known/openid-configuration")
    }

    @Test func listsAreCommaSeparated() throws {
        var environment = minimal
        environment["PROCESSO_API_AUDIENCES"] = " api://custom , other,"
        environment["PROCESSO_API_APP_ROLES"] = "Process.Read,Process.Admin"
        let configuration = try Configuration(environment: environment)
        #expect(configuration.audiences == ["api://custom", "other"])
        #expect(configuration.appRoles == ["Process.Read", "Process.Admin"])
    }

    @Test func tokenSettingsAreRead() throws {
        var environment = minimal
        environment["PROCESSO_API_TENANTS"] =
            "9F8E7D6C-5B4A-4392-8170-6F5E4D3C2B1A, 72f988bf-86f1-41af-91ab-2d7cd011db47,9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
        environment["PROCESSO_API_APP_SIGNING_KEYS"] = "true"
        environment["PROCESSO_API_JWKS_CACHE_DIR"] = "none"
        environment["PROCESSO_API_MAX_TOKEN_LIFETIME"] = "7200"
        environment["PROCESSO_API_SCOPE"] = "access_as_user,Processes.Read"
        let configuration = try Configuration(environment: environment)

        #expect(configuration.tenantIDs == ["72f988bf-86f1-41af-91ab-2d7cd011db47", "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"])
        #expect(configuration.metadataURL.hasSuffix("/v2.0/.well-known/openid-configuration?appid=11111111-2222-3333-4444-555555555555"))
        #expect(configuration.signingKeyCacheDirectory == nil)
        #expect(configuration.maxTokenLifetime == 7200)
        #expect(configuration.requiredScopes == ["access_as_user", "Processes.Read"])
        #expect(configuration.describe(environment: environment).filter { $0.hasPrefix("metadata URL:") }.count == 2)
    }

    @Test func routeRequirementsAreRead() throws {
        var environment = minimal
        environment["PROCESSO_API_APP_ROLES"] = "Process.Read"
        environment["PROCESSO_API_ROUTE_SCOPES"] = " /getprocessdetails = Processes.Details, access_as_user ;"
        environment["PROCESSO_API_ROUTE_APP_ROLES"] = "/getprocessnumber=Process.Lookup"
        let configuration = try Configuration(environment: environment)

        let requirements = configuration.accessRequirements
        #expect(requirements.count == 2)
        #expect(requirements["/getprocessdetails"] == AccessRequirement(scopes: ["Processes.Details", "access_as_user"], appRoles: ["Process.Read"]))
        #expect(requirements["/getprocessnumber"] == AccessRequirement(scopes: ["access_as_user"], appRoles: ["Process.Lookup"]))
        let lines = configuration.describe(environment: environment)
        #expect(lines.contains("PROCESSO_API_ROUTE_SCOPES=/getprocessdetails=Processes.Details,access_as_user"))
        #expect(lines.contains("PROCESSO_API_ROUTE_APP_ROLES=/getprocessnumber=Process.Lookup"))
    }

    @Test(arguments: [
        ("PROCESSO_API_TENANTS", "contoso.onmicrosoft.com" as String?, "PROCESSO_API_TENANTS must list tenant ids"),
        ("PROCESSO_API_APP_SIGNING_KEYS", "maybe", "PROCESSO_API_APP_SIGNING_KEYS must be true or false"),
        ("PROCESSO_API_MAX_TOKEN_LIFETIME", "-5", "PROCESSO_API_MAX_TOKEN_LIFETIME must be a whole number"),
        ("PROCESSO_API_SCOPE", ",", "PROCESSO_API_SCOPE must name at least one scope"),
        ("PROCESSO_API_ROUTE_SCOPES", "getprocessnumber=x", "PROCESSO_API_ROUTE_SCOPES must read /path=a,b;/other=c"),
        ("PROCESSO_API_ROUTE_APP_ROLES", "/getprocessnumber=", "PROCESSO_API_ROUTE_APP_ROLES must read /path=a,b;/other=c"),
        ("AZURE_TENANT_ID", nil, "AZURE_TENANT_ID is missing"),
        ("AZURE_TENANT_ID", "contoso.onmicrosoft.com", "AZURE_TENANT_ID must be a GUID"),
        ("AZURE_CLIENT_ID", nil, "AZURE_CLIENT_ID is missing"),
        ("AZURE_AUTHORITY_HOST", "http://login.example", "AZURE_AUTHORITY_HOST must be an https:// URL"),
        ("PROCESSO_API_CLOCK_LEEWAY", "-1", "PROCESSO_API_CLOCK_LEEWAY must be a whole number"),
        ("PROCESSO_API_CLOCK_LEEWAY", "ten", "PROCESSO_API_CLOCK_LEEWAY must be a whole number"),
        ("PROCESSO_API_WORKERS", "0", "PROCESSO_API_WORKERS must be a whole number"),
        ("PROCESSO_API_LISTEN", "somewhere", "PROCESSO_API_LISTEN must be"),
        ("PROCESSO_API_LOG_LEVEL", "verbose", "PROCESSO_API_LOG_LEVEL must be one of"),
        ("PROCESSO_API_DEFAULT_DOCUMENT", "../etc/passwd", "PROCESSO_API_DEFAULT_DOCUMENT must be a file name"),
    ])
    func invalidSettingNamesTheVariable(name: String, value: String?, message: String) {
        var environment = minimal
        environment[name] = value
        do {
            _ = try Configuration(environment: environment)
            Issue.record("\(name)=\(value ?? "(unset)") was accepted")
        } catch {
            #expect(error.message.hasPrefix(message), "\(name): \(error.message)")
        }
    }

    @Test(arguments: [
        ("unix:/run/x.sock", ListenAddress.unix(path: "/run/x.sock")),
        ("/run/x.sock", .unix(path: "/run/x.sock")),
        ("127.0.0.1:9000", .tcp(host: "127.0.0.1", port: 9000)),
        ("127.0.0.2:9000", .tcp(host: "127.0.0.2", port: 9000)),
        ("localhost:9000", .tcp(host: "127.0.0.1", port: 9000)),
        (":9000", .tcp(host: "127.0.0.1", port: 9000)),
    ])
    func listenAddressParses(text: String, expected: ListenAddress) throws {
        #expect(try ListenAddress(parsing: text) == expected, "address \(text)")
    }

    @Test(arguments: ["0.0.0.0:9000", "192.0.2.10:9000", "[::1]:9000", "example.com:9000", "127.0.0.1:0", "127.0.0.1:70000", "9000"])
    func listenAddressRejectsNonLoopback(text: String) {
        #expect(throws: ConfigurationError.self, "address \(text)") {
            try ListenAddress(parsing: text)
        }
    }
}
