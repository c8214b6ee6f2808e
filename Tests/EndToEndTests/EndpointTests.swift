import Foundation
import Testing

/// Both endpoints through real nginx, TLS and FastCGI, with tokens the development identity signs.
@Suite(.serialized) struct EndpointTests {
    let stack: LocalStack
    let tokens: TokenFactory

    init() throws {
        stack = try LocalStack.start()
        tokens = try TokenFactory(stack: stack)
    }

    @Test func healthReportsReady() throws {
        let response = try stack.client.get(stack.url("/healthz"))
        #expect(response.status == 200)
        #expect(try response.json()["status"] as? String == "ok")
    }

    @Test func processNumberForRegisteredProtocol() throws {
        let sample = try SampleRegistry(repository: stack.repository).first
        let token = try tokens.mint(claims: ["upn": .string("maria.silva@contoso.com.br")])
        let response = try stack.client.get(stack.url("/getprocessnumber?protocol=\(sample.protocolNumber)"), bearer: token)

        #expect(response.status == 200, "body: \(response.text)")
        #expect(response.headers["content-type"] == "application/json; charset=utf-8")
        let body = try response.json()
        #expect(body["message"] as? String == sample.formattedNumber)
        #expect(body["user_email"] as? String == "maria.silva@contoso.com.br")
        #expect(body.count == 2)
    }

    @Test func processNumberAcceptsVersionTwoToken() throws {
        let sample = try SampleRegistry(repository: stack.repository).first
        let token = try tokens.mint(
            version: 2, claims: ["preferred_username": .string("joao@contoso.com.br")], removing: ["upn"])
        let response = try stack.client.get(stack.url("/getprocessnumber?protocol=\(sample.protocolNumber)"), bearer: token)
        #expect(response.status == 200, "body: \(response.text)")
        #expect(try response.json()["user_email"] as? String == "joao@contoso.com.br")
    }

    @Test func unknownProtocolIsNotFound() throws {
        let response = try stack.client.get(stack.url("/getprocessnumber?protocol=no-such-protocol"), bearer: try tokens.mint())
        #expect(response.status == 404)
        #expect(try response.json()["detail"] as? String == "No process is registered for protocol no-such-protocol.")
    }

    @Test func missingProtocolIsBadRequest() throws {
        for query in ["", "?protocol=", "?protocol=%20%20"] {
            let response = try stack.client.get(stack.url("/getprocessnumber\(query)"), bearer: try tokens.mint())
            #expect(response.status == 400, "query \(query)")
            #expect(try response.json()["detail"] as? String != nil, "query \(query)")
        }
    }

    @Test func malformedEscapeIsBadRequest() throws {
        let response = try stack.client.get(stack.url("/getprocessnumber?protocol=%zz"), bearer: try tokens.mint())
        #expect(response.status == 400)
        #expect(try response.json()["detail"] as? String == "The query string has a malformed percent escape.")
    }

    @Test func queryIsDecodedOnce() throws {
        let response = try stack.client.get(stack.url("/getprocessnumber?protocol=a%2Bb+c%252B"), bearer: try tokens.mint())
        #expect(response.status == 404)
        #expect(try response.json()["detail"] as? String == "No process is registered for protocol a+b c%2B.")
    }

    @Test func defaultDocumentTextMatchesMutool() throws {
        let response = try stack.client.get(stack.url("/getprocessdetails"), bearer: try tokens.mint())
        #expect(response.status == 200, "body: \(response.text.prefix(300))")
        let text = try #require(try response.json()["text"] as? String)

        let expected = try Command.run("/usr/bin/mutool", ["draw", "-q", "-F", "txt", "-o", "-", stack.path("pdfs/processo.pdf")])
        #expect(TextComparison.withoutPageBreaks(text) == TextComparison.withoutPageBreaks(expected))
        #expect(text.contains("ç"))
        #expect(text.contains("ã"))
    }

    @Test func documentOverSixtyFourKilobytesArrivesWhole() throws {
        let large = try LargeDocument.create(in: stack)
        let response = try stack.client.get(stack.url("/getprocessdetails?process=\(large.number)"), bearer: try tokens.mint())

        #expect(response.status == 200, "body: \(response.text.prefix(300))")
        #expect(response.body.count > 64 * 1024)
        #expect(response.headers["content-length"].flatMap(Int.init) ?? response.body.count == response.body.count)
        let text = try #require(try response.json()["text"] as? String)
        let expected = try Command.run("/usr/bin/mutool", ["draw", "-q", "-F", "txt", "-o", "-", large.path])
        #expect(TextComparison.withoutPageBreaks(text) == TextComparison.withoutPageBreaks(expected))
    }

    @Test func invalidProcessNumberIsBadRequest() throws {
        for process in ["123", "0058967-78.2016.8.19.0000", "..%2F..%2Fetc%2Fpasswd"] {
            let response = try stack.client.get(stack.url("/getprocessdetails?process=\(process)"), bearer: try tokens.mint())
            #expect(response.status == 400, "process \(process)")
            #expect(try response.json()["detail"] as? String != nil, "process \(process)")
        }
    }

    @Test func missingDocumentIsNotFound() throws {
        let response = try stack.client.get(
            stack.url("/getprocessdetails?process=0058967-77.2016.8.19.0000"), bearer: try tokens.mint())
        #expect(response.status == 404)
        let detail = try #require(try response.json()["detail"] as? String)
        #expect(!detail.contains(stack.path("pdfs")))
    }

    @Test func unknownPathIsJSONNotFound() throws {
        for path in ["/", "/getprocessnumbers", "/getprocessdetails/x"] {
            let response = try stack.client.get(stack.url(path), bearer: try tokens.mint())
            #expect(response.status == 404, "path \(path)")
            #expect(response.headers["content-type"]?.hasPrefix("application/json") == true, "path \(path)")
            #expect(try response.json()["detail"] as? String != nil, "path \(path)")
        }
    }

    @Test func otherMethodIsNotAllowed() throws {
        let response = try stack.client.get(stack.url("/getprocessnumber?protocol=1"), bearer: try tokens.mint(), method: "DELETE")
        #expect(response.status == 405)
        #expect(response.headers["allow"] == "GET, HEAD")
        #expect(try response.json()["detail"] as? String == "Method Not Allowed")
    }

    @Test func headAnnouncesTheGetBody() throws {
        let sample = try SampleRegistry(repository: stack.repository).first
        let url = stack.url("/getprocessnumber?protocol=\(sample.protocolNumber)")
        let token = try tokens.mint()
        let get = try stack.client.get(url, bearer: token)
        let head = try stack.client.get(url, bearer: token, method: "HEAD")

        #expect(head.status == 200)
        #expect(head.headers["content-type"] == "application/json; charset=utf-8")
        #expect(head.headers["content-length"] == String(get.body.count))
    }

    @Test func proxyRequestIDComesBack() throws {
        let response = try stack.client.get(stack.url("/healthz"))
        let requestID = try #require(response.headers["x-request-id"])
        #expect(requestID.count == 32)
    }
}
