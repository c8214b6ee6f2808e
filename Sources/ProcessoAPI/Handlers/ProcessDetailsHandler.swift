/// `GET /getprocessdetails[?process=N][&pages=FROM-TO]`: the text of a case document, a range of
/// pages at a time.
///
/// Without `process` it serves the configured default document, as the original service did. With
/// it, the file is the one the registry names for the process, or `<20 digits>.pdf`. The registry
/// checks document names at import, so no part of a path ever comes from the request. The body
/// never exceeds `maxResponseBytes`: see `PagedText` for where the text is cut.
struct ProcessDetailsHandler: Sendable {
    let documents: any DocumentTextProvider
    let registry: any ProcessRegistry
    let defaultDocument: String
    let maxResponseBytes: Int

    var route: Route {
        Route(
            path: "/getprocessdetails",
            operationID: "GetProcessDetails",
            summary: "Returns the text of the case document, a range of pages at a time.",
            queryParameters: [
                QueryParameterSpecification(
                    name: "process", description: "CNJ process number, formatted or as 20 digits; the default document when absent.",
                    isRequired: false),
                QueryParameterSpecification(
                    name: "pages",
                    description: "Pages to return, 1-based and inclusive: 1-20, or 5 for one page; all pages when absent.",
                    isRequired: false),
            ],
            requiresAuthentication: true,
            handler: handle
        )
    }

    func handle(_ context: RequestContext) throws -> Response {
        var fileName = defaultDocument
        var process: CNJNumber?
        if let text = context.query["process"] {
            let number = try CNJNumber(text)
            process = number
            fileName = try registry.documentName(forProcess: number) ?? RegistryRecord.defaultDocument(for: number)
        }
        let requested = try context.query["pages"].map { (text) throws(HTTPError) in try PageRange(parsing: text) }

        let document = try documents.document(named: fileName)
        let range = try (requested ?? PageRange(first: 1, last: document.pageCount)).clamped(toPageCount: document.pageCount)
        let body = PagedText(document: document, range: range, process: process?.formatted, maxBytes: maxResponseBytes)
        return Response(status: .ok, body: body.jsonBody())
    }
}
