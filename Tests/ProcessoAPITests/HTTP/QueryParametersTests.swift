import Testing

@testable import ProcessoAPI

@Suite struct QueryParametersTests {
    @Test(arguments: [
        ("protocol=123", "protocol", "123"),
        ("protocol=a%2Bb", "protocol", "a+b"),
        ("protocol=a+b", "protocol", "a b"),
        ("protocol=%252B", "protocol", "%2B"),
        ("protocol=S%C3%A3o%20Paulo", "protocol", "São Paulo"),
        ("a=1&protocol=x&b=2", "protocol", "x"),
        ("protocol=", "protocol", ""),
        ("protocol", "protocol", ""),
        ("&&protocol=7&&", "protocol", "7"),
        ("protocol=a=b", "protocol", "a=b"),
        ("pro%74ocol=9", "protocol", "9"),
    ])
    func decodesOnce(query: String, name: String, expected: String) throws {
        let parameters = try QueryParameters(parsing: query)
        #expect(parameters[name] == expected, "query \(query)")
    }

    @Test func absentParameterIsNil() throws {
        let parameters = try QueryParameters(parsing: "other=1")
        #expect(parameters["protocol"] == nil)
    }

    @Test(arguments: ["protocol=%", "protocol=%2", "protocol=%zz", "protocol=%2g", "protocol=%C3", "protocol=%FF"])
    func malformedEscapeIsBadRequest(query: String) {
        #expect(throws: HTTPError.self, "query \(query)") {
            try QueryParameters(parsing: query)
        }
        do {
            _ = try QueryParameters(parsing: query)
        } catch {
            #expect(error.status == .badRequest, "query \(query)")
        }
    }

    @Test func repeatedNameIsBadRequest() {
        #expect(throws: HTTPError(.badRequest, "The query parameter protocol is given more than once.")) {
            try QueryParameters(parsing: "protocol=1&protocol=2")
        }
    }
}
