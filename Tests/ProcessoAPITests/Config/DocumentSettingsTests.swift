import Testing

@testable import ProcessoAPI

@Suite struct DocumentSettingsTests {
    @Test func defaultsApplyWhenUnset() throws {
        let settings = try DocumentSettings(environment: [:])

        #expect(settings.maxResponseBytes == 400_000)
        #expect(settings.maxDocumentBytes == 104_857_600)
        #expect(settings.maxPages == 5000)
        #expect(settings.extractionTimeoutSeconds == 30)
        #expect(settings.textCacheBytes == 268_435_456)
        #expect(settings.extractionWorkers == nil)
    }

    @Test func variablesSetEveryLimit() throws {
        let settings = try DocumentSettings(environment: [
            "PROCESSO_API_MAX_RESPONSE_BYTES": "250000",
            "PROCESSO_API_MAX_DOCUMENT_BYTES": "2048",
            "PROCESSO_API_MAX_PAGES": " 12 ",
            "PROCESSO_API_EXTRACTION_TIMEOUT": "5",
            "PROCESSO_API_TEXT_CACHE_BYTES": "0",
            "PROCESSO_API_EXTRACTION_WORKERS": "3",
        ])

        #expect(settings.maxResponseBytes == 250_000)
        #expect(settings.maxDocumentBytes == 2048)
        #expect(settings.maxPages == 12)
        #expect(settings.extractionTimeoutSeconds == 5)
        #expect(settings.textCacheBytes == 0)
        #expect(settings.extractionWorkers == 3)
    }

    struct BadValue: Sendable, CustomTestStringConvertible {
        var name: String
        var value: String

        var testDescription: String { "\(name)=\(value)" }
    }

    static let badValues: [BadValue] = [
        BadValue(name: "PROCESSO_API_MAX_RESPONSE_BYTES", value: "19999"),
        BadValue(name: "PROCESSO_API_MAX_RESPONSE_BYTES", value: "400 KB"),
        BadValue(name: "PROCESSO_API_MAX_PAGES", value: "0"),
        BadValue(name: "PROCESSO_API_EXTRACTION_TIMEOUT", value: "-1"),
        BadValue(name: "PROCESSO_API_TEXT_CACHE_BYTES", value: "lots"),
        BadValue(name: "PROCESSO_API_EXTRACTION_WORKERS", value: "0"),
    ]

    @Test(arguments: badValues)
    func invalidValueNamesVariable(_ bad: BadValue) {
        let error = #expect(throws: ConfigurationError.self) { try DocumentSettings(environment: [bad.name: bad.value]) }

        #expect(error?.message.hasPrefix(bad.name) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("\"\(bad.value)\"") == true, "\(error?.message ?? "")")
    }

    @Test(arguments: [(cores: 2, workers: 8, expected: 2), (cores: 16, workers: 8, expected: 2), (cores: 4, workers: 2, expected: 1)])
    func defaultWorkersLeaveThreadsForTokens(cores: Int, workers: Int, expected: Int) {
        #expect(DocumentSettings.defaultExtractionWorkers(processorCount: cores, responderWorkers: workers) == expected)
    }
}
