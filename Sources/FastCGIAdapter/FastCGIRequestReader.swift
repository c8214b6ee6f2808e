import CFastCGI
import ProcessoAPI

/// Builds a core `Request` from the FastCGI parameters nginx sends.
struct FastCGIRequestReader {
    let parameters: FCGX_ParamArray?
    let requestIDs: RequestIDGenerator

    func read() -> Request {
        let method = parameter("REQUEST_METHOD") ?? "GET"
        // nginx's DOCUMENT_URI is the normalized, decoded path without the query string.
        let path = parameter("DOCUMENT_URI") ?? parameter("SCRIPT_NAME") ?? "/"
        let requestID = parameter("HTTP_X_REQUEST_ID").flatMap(RequestIDGenerator.accepting) ?? requestIDs.next()
        return Request(
            method: method,
            path: path,
            rawQuery: parameter("QUERY_STRING") ?? "",
            // nginx sends the parameter empty when the client sent no header.
            authorization: parameter("HTTP_AUTHORIZATION").flatMap { $0.isEmpty ? nil : $0 },
            requestID: requestID
        )
    }

    private func parameter(_ name: String) -> String? {
        guard let value = FCGX_GetParam(name, parameters) else { return nil }
        return String(cString: value)
    }
}
