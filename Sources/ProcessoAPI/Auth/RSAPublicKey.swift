import COpenSSL
import Foundation

/// An RSA public key held by OpenSSL, used to verify RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signatures.
///
/// Keys are built once, when a key set is loaded, and shared by all request threads. That is safe
/// because nothing modifies the `EVP_PKEY` after construction, and openssl-threads(7) (OpenSSL 3.0)
/// states that objects are thread-safe while the calls made on them do not modify them. Each verification
/// uses its own `EVP_MD_CTX`.
public final class RSAPublicKey: @unchecked Sendable {
    private let key: OpaquePointer

    /// The modulus length in bits.
    public let bitCount: Int

    /// Builds the key from a JWK's big-endian modulus `n` and public exponent `e`.
    public convenience init(modulus: [UInt8], exponent: [UInt8]) throws(OpenSSLError) {
        try self.init(owning: Self.makeKey(modulus: modulus, exponent: exponent))
    }

    /// Builds the key from a DER-encoded SubjectPublicKeyInfo, the form X.509 and Wycheproof use.
    public convenience init(subjectPublicKeyInfo der: [UInt8]) throws(OpenSSLError) {
        ERR_clear_error()
        var consumed = 0
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            let key = d2i_PUBKEY(nil, &cursor, buffer.count)
            if let cursor, let start = buffer.baseAddress { consumed = cursor - start }
            return key
        }
        guard let parsed else { throw OpenSSLError.fromErrorQueue(function: "d2i_PUBKEY") }
        // d2i_PUBKEY stops after the first DER structure, so trailing bytes would otherwise pass unnoticed.
        guard consumed == der.count else {
            EVP_PKEY_free(parsed)
            throw OpenSSLError(function: "d2i_PUBKEY", code: 0, reason: "the DER key has \(der.count - consumed) trailing bytes")
        }
        guard EVP_PKEY_is_a(parsed, "RSA") == 1 else {
            EVP_PKEY_free(parsed)
            throw OpenSSLError(function: "EVP_PKEY_is_a", code: 0, reason: "the public key is not an RSA key")
        }
        try self.init(owning: parsed)
    }

    /// Takes ownership of `key`, which this object frees.
    private init(owning key: OpaquePointer) throws(OpenSSLError) {
        let bits = EVP_PKEY_get_bits(key)
        guard bits > 0 else {
            EVP_PKEY_free(key)
            throw OpenSSLError.fromErrorQueue(function: "EVP_PKEY_get_bits", fallbackReason: "the key has no size")
        }
        self.key = key
        self.bitCount = Int(bits)
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// Verifies an RSASSA-PKCS1-v1_5 SHA-256 signature over `message`.
    ///
    /// Throws when the signature does not match. The error keeps OpenSSL's code, such as
    /// `RSA_R_BAD_SIGNATURE`, or code 0 when OpenSSL reports a plain mismatch without queuing one.
    public func verifySHA256PKCS1(signature: [UInt8], message: some ContiguousBytes) throws(OpenSSLError) {
        ERR_clear_error()
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLError.fromErrorQueue(function: "EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }

        var keyContext: OpaquePointer?
        guard EVP_DigestVerifyInit_ex(context, &keyContext, "SHA256", nil, nil, key, nil) == 1, let keyContext else {
            throw OpenSSLError.fromErrorQueue(function: "EVP_DigestVerifyInit_ex")
        }
        // PKCS#1 v1.5 is OpenSSL's default for RSA keys; it is set anyway so that the padding never
        // depends on a default.
        guard EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PADDING) == 1 else {
            throw OpenSSLError.fromErrorQueue(function: "EVP_PKEY_CTX_set_rsa_padding")
        }

        let result = message.withUnsafeBytes { messageBuffer in
            signature.withUnsafeBufferPointer { signatureBuffer in
                EVP_DigestVerify(
                    context, signatureBuffer.baseAddress, signatureBuffer.count,
                    messageBuffer.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBuffer.count)
            }
        }
        // 1 is a match, 0 a mismatch and a negative value any other failure: only 1 is accepted.
        guard result == 1 else {
            throw OpenSSLError.fromErrorQueue(function: "EVP_DigestVerify", fallbackReason: "the signature does not match")
        }
    }

    /// Builds an `EVP_PKEY` from `n` and `e` with `OSSL_PARAM_BLD` and `EVP_PKEY_fromdata`.
    private static func makeKey(modulus: [UInt8], exponent: [UInt8]) throws(OpenSSLError) -> OpaquePointer {
        ERR_clear_error()
        guard let builder = OSSL_PARAM_BLD_new() else { throw OpenSSLError.fromErrorQueue(function: "OSSL_PARAM_BLD_new") }
        defer { OSSL_PARAM_BLD_free(builder) }

        let modulusNumber = try bigNumber(modulus)
        defer { BN_free(modulusNumber) }
        let exponentNumber = try bigNumber(exponent)
        defer { BN_free(exponentNumber) }

        // The builder keeps the parameter-name pointers until OSSL_PARAM_BLD_to_param, so they must be
        // static strings. A Swift String argument such as OSSL_PKEY_PARAM_RSA_N would be a temporary copy.
        guard OSSL_PARAM_BLD_push_BN(builder, Self.cString("n"), modulusNumber) == 1,
            OSSL_PARAM_BLD_push_BN(builder, Self.cString("e"), exponentNumber) == 1
        else { throw OpenSSLError.fromErrorQueue(function: "OSSL_PARAM_BLD_push_BN") }
        guard let parameters = OSSL_PARAM_BLD_to_param(builder) else {
            throw OpenSSLError.fromErrorQueue(function: "OSSL_PARAM_BLD_to_param")
        }
        defer { OSSL_PARAM_free(parameters) }

        guard let context = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else {
            throw OpenSSLError.fromErrorQueue(function: "EVP_PKEY_CTX_new_from_name")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_fromdata_init(context) == 1 else { throw OpenSSLError.fromErrorQueue(function: "EVP_PKEY_fromdata_init") }

        var key: OpaquePointer?
        guard EVP_PKEY_fromdata(context, &key, copenssl_selection_public_key(), parameters) == 1, let key else {
            throw OpenSSLError.fromErrorQueue(function: "EVP_PKEY_fromdata")
        }
        return key
    }

    /// Returns a pointer to a string literal's bytes, which live as long as the program.
    private static func cString(_ literal: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(literal.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    private static func bigNumber(_ bytes: [UInt8]) throws(OpenSSLError) -> OpaquePointer {
        let number = bytes.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
        guard let number else { throw OpenSSLError.fromErrorQueue(function: "BN_bin2bn") }
        return number
    }
}
