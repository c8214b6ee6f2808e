import Foundation

/// A throwaway CA and a server certificate it signed for 127.0.0.1, ::1 and localhost, made with the
/// `openssl` command-line tool in a temporary folder. P-256 keys keep generation fast.
final class TestCertificateAuthority: Sendable {
    let directory: URL
    let certificatePath: String
    let serverCertificatePath: String
    let serverKeyPath: String

    init(name: String) throws {
        directory = try TemporaryDirectory.make(prefix: "ca-\(name)")
        certificatePath = directory.appendingPathComponent("ca.pem").path
        serverCertificatePath = directory.appendingPathComponent("server.pem").path
        serverKeyPath = directory.appendingPathComponent("server.key").path
        let caKey = directory.appendingPathComponent("ca.key").path
        let request = directory.appendingPathComponent("server.csr").path
        let extensions = directory.appendingPathComponent("server.ext")
        try """
        subjectAltName = IP:127.0.0.1, IP:::1, DNS:localhost
        basicConstraints = CA:FALSE
        keyUsage = critical, digitalSignature, keyEncipherment
        extendedKeyUsage = serverAuth
        """.write(to: extensions, atomically: true, encoding: .utf8)

        try Self.openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", caKey, "-out", certificatePath, "-days",
            "2",
            "-subj", "/CN=processo-api test CA \(name)", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        try Self.openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", serverKeyPath, "-out", request, "-subj",
            "/CN=localhost",
        ])
        try Self.openssl([
            "x509", "-req", "-in", request, "-CA", certificatePath, "-CAkey", caKey, "-CAcreateserial", "-out", serverCertificatePath,
            "-days", "2", "-extfile", extensions.path,
        ])
    }

    /// Makes a folder holding this CA's certificate under its OpenSSL subject-hash name, the layout
    /// `CURLOPT_CAPATH` reads, like `/etc/ssl/certs`.
    func makeHashedDirectory() throws -> String {
        let folder = directory.appendingPathComponent("hashed")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: certificatePath, toPath: folder.appendingPathComponent("ca.pem").path)
        try Self.openssl(["rehash", folder.path])
        return folder.path
    }

    /// Runs `openssl` with `arguments` and throws when it exits with a failure.
    static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw LocalHTTPSServer.ServerError(
                message: "openssl \(arguments.first ?? "") failed: \(String(decoding: message, as: UTF8.self))")
        }
    }
}

/// Temporary folders for one test each.
enum TemporaryDirectory {
    static func make(prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("processo-api-tests-\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
