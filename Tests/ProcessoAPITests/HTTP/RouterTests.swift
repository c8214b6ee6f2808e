import Testing

@testable import ProcessoAPI

@Suite struct RouterTests {
    let router = Router(routes: [
        Route(path: "/a", operationID: "A", summary: "A route.", requiresAuthentication: false) { _ in .json(["ok": true]) }
    ])

    @Test func knownPathAndGetMatch() throws {
        let route = try router.route(for: Request(method: "GET", path: "/a", requestID: "r"))
        #expect(route.operationID == "A")
    }

    @Test func headMatchesLikeGet() throws {
        let route = try router.route(for: Request(method: "HEAD", path: "/a", requestID: "r"))
        #expect(route.path == "/a")
    }

    @Test func unknownPathIsNotFound() {
        #expect(throws: HTTPError(.notFound, "Not Found")) {
            try router.route(for: Request(method: "GET", path: "/b", requestID: "r"))
        }
    }

    @Test(arguments: ["POST", "PUT", "DELETE", "OPTIONS", "get"])
    func otherMethodIsNotAllowed(method: String) {
        #expect(throws: HTTPError(.methodNotAllowed, "Method Not Allowed", allowedMethods: ["GET", "HEAD"]), "method \(method)") {
            try router.route(for: Request(method: method, path: "/a", requestID: "r"))
        }
    }

    @Test func pathMatchIsExact() {
        for path in ["/a/", "/A", "/a/b", ""] {
            #expect(throws: HTTPError.self, "path \(path)") {
                try router.route(for: Request(method: "GET", path: path, requestID: "r"))
            }
        }
    }
}
