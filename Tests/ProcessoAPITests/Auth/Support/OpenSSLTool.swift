import Foundation

/// The `openssl` command-line tool, for test material the library under test must never produce
/// itself, such as HMAC tokens keyed with a public key.
enum OpenSSLTool {
    /// Runs `openssl arguments` with `input` on standard input and returns standard output.
    static func run(_ arguments: [String], input: Data = Data()) throws -> Data {
        let folder = try TemporaryDirectory.make(prefix: "openssl")
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputFile = folder.appendingPathComponent("input")
        try input.write(to: inputFile)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.standardInput = try FileHandle(forReadingFrom: inputFile)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw LocalHTTPSServer.ServerError(message: "openssl \(arguments.joined(separator: " ")) failed")
        }
        return data
    }

    /// Returns the public key of a PEM private key as SubjectPublicKeyInfo, in `PEM` or `DER` form.
    static func publicKey(ofPrivateKeyPEM pem: [UInt8], form: String) throws -> Data {
        try run(["pkey", "-pubout", "-outform", form], input: Data(pem))
    }

    /// Computes HMAC-SHA-`bits` of `message` keyed with `key`.
    static func hmac(bits: Int, key: Data, message: Data) throws -> Data {
        let hexKey = key.map { String(format: "%02x", $0) }.joined()
        return try run(["dgst", "-sha\(bits)", "-mac", "HMAC", "-macopt", "hexkey:\(hexKey)", "-binary"], input: message)
    }
}
