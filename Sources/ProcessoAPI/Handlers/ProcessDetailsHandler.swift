/// `GET /getprocessdetails[?process=N]`: the text of a case document.
///
/// Without `process` it serves the configured default document, as the original service did. With it,
/// the file name is built from the number's 20 digits, so no part of a path ever comes from the request.
struct ProcessDetailsHandler: Sendable {
    let documents: any DocumentTextProvider
    let defaultDocument: String

    struct Body: Encodable {
        let text: String
    }

    var route: Route {
        Route(
            path: "/getprocessdetails",
            operationID: "GetProcessDetails",
            summary: "Returns the text of the case document.",
            queryParameters: [
                QueryParameterSpecification(
                    name: "process", description: "CNJ process number, formatted or as 20 digits; the default document when absent.",
                    isRequired: false)
            ],
            requiresAuthentication: true,
            handler: handle
        )
    }

    func handle(_ context: RequestContext) throws -> Response {
        var fileName = defaultDocument
        if let process = context.query["process"] {
            fileName = try CNJNumber(process).digits + ".pdf"
        }

        let text = try documents.text(ofDocumentNamed: fileName)
        return .json(Body(text: text))
    }
}
