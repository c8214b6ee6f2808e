import CCurl
import Foundation

/// One libcurl easy transfer: owns the `CURL*` handle, its header list and error buffer, and collects
/// the response. Used once, on one thread, and freed in `deinit`.
final class CurlTransfer {
    private let handle: UnsafeMutableRawPointer
    private let url: CurlURL
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// libcurl writes a detailed failure message here (`CURLOPT_ERRORBUFFER`).
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let sink: ResponseSink

    init(url: CurlURL, maxResponseBytes: Int) throws(HTTPClientError) {
        guard let handle = curl_easy_init() else {
            throw HTTPClientError(.setupFailed, url: url.text, message: "curl_easy_init failed")
        }
        self.handle = handle
        self.url = url
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        sink = ResponseSink(maxBodyBytes: maxResponseBytes)

        try check(ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        try check(ccurl_setopt_pointer(handle, CURLOPT_CURLU, UnsafeMutableRawPointer(url.handle)))
        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        try check(ccurl_setopt_write_function(handle, ResponseSink.receiveBody))
        try check(ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, sinkPointer))
        try check(ccurl_setopt_header_function(handle, ResponseSink.receiveHeader))
        try check(ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, sinkPointer))
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    func set(_ option: CURLoption, _ value: Int) throws(HTTPClientError) {
        try check(ccurl_setopt_long(handle, option, value))
    }

    /// Sets a string option; libcurl copies the string, so it need not outlive the call.
    func set(_ option: CURLoption, _ value: String) throws(HTTPClientError) {
        try check(ccurl_setopt_string(handle, option, value))
    }

    /// Adds a request header line; the list is handed to libcurl before `perform()`.
    func appendHeader(_ line: String) throws(HTTPClientError) {
        guard let list = curl_slist_append(headerList, line) else {
            throw HTTPClientError(.setupFailed, url: url.text, message: "curl_slist_append failed")
        }
        headerList = list
    }

    /// Runs the transfer and returns the response, whatever its status.
    func perform() throws(HTTPClientError) -> HTTPResponse {
        if let headerList {
            try check(ccurl_setopt_pointer(handle, CURLOPT_HTTPHEADER, headerList))
        }

        let result = curl_easy_perform(handle)
        guard result == CURLE_OK else {
            // A body past the cap fails as CURLE_FILESIZE_EXCEEDED when the server announced its length
            // (CURLOPT_MAXFILESIZE), and as CURLE_WRITE_ERROR when the body callback returned 0.
            if sink.exceededLimit || result == CURLE_FILESIZE_EXCEEDED {
                throw HTTPClientError(
                    .responseTooLarge, url: url.text, curlCode: Int32(result.rawValue),
                    message: "the response body is larger than \(sink.maxBodyBytes) bytes")
            }
            throw HTTPClientError.curl(.transferFailed, url: url.text, code: result, detail: String(cString: errorBuffer))
        }

        var status = 0
        try check(ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status))
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }

    private func check(_ code: CURLcode) throws(HTTPClientError) {
        guard code == CURLE_OK else { throw HTTPClientError.curl(.setupFailed, url: url.text, code: code) }
    }
}

/// The response as libcurl delivers it, through C callbacks that receive this object as their context.
private final class ResponseSink {
    let maxBodyBytes: Int
    var body: [UInt8] = []
    var headers: [(name: String, value: String)] = []
    var exceededLimit = false

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// Appends body bytes, or returns 0 to make libcurl abort once the body would pass the cap.
    static let receiveBody: ccurl_write_callback = { data, size, count, context in
        let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
        let length = size * count
        guard sink.body.count + length <= sink.maxBodyBytes else {
            sink.exceededLimit = true
            return 0
        }
        if let data {
            sink.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
        }
        return length
    }

    /// Collects one header line. A status line starts a new response (after a `100 Continue`, say), so
    /// only the final response's headers are kept.
    static let receiveHeader: ccurl_write_callback = { data, size, count, context in
        let sink = Unmanaged<ResponseSink>.fromOpaque(context!).takeUnretainedValue()
        let length = size * count
        guard let data else { return length }
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            sink.headers.removeAll()
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            sink.headers.append((name: name, value: value))
        }
        return length
    }
}
