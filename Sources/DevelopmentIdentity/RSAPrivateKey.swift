import COpenSSL
import ProcessoAPI

/// An RSA private key held by OpenSSL, for signing development tokens with RS256.
///
/// Nothing modifies the `EVP_PKEY` after construction, and each signature uses its own `EVP_MD_CTX`,
/// so one key may sign on several threads at once.
public final class RSAPrivateKey: @unchecked Sendable {
    private let key: OpaquePointer

    private init(owning key: OpaquePointer) {
        self.key = key
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// Generates a new key with `EVP_PKEY_generate` and the public exponent 65537.
    public static func generate(bits: Int = 2048) throws(OpenSSLError) -> RSAPrivateKey {
        ERR_clear_error()
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else {
            throw OpenSSLError.fromErrorQueue(function: "EVP_PKEY_CTX_new_from_name")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw OpenSSLError.fromErrorQueue(function: "EVP_PKEY_keygen_init") }
        guard EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits)) == 1 else {
            throw OpenSSLError.fromErrorQueue(function: "EVP_PKEY_CTX_set_rsa_keygen_bits")
        }

        var key: OpaquePointer?
        guard EVP_PKEY_generate(context, &key) == 1, let key else { throw OpenSSLError.fromErrorQueue(function: "EVP_PKEY_generate") }
        return RSAPrivateKey(owning: key)
    }

    /// Reads a PEM private key (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`, unencrypted).
    public convenience init(pem: [UInt8]) throws(OpenSSLError) {
        ERR_clear_error()
        // A memory BIO reads the caller's bytes in place, so the whole read stays inside the scope
        // that keeps them valid. An optimized build reused the buffer once the pointer escaped.
        let read: Result<OpaquePointer, OpenSSLError> = pem.withUnsafeBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else {
                return .failure(OpenSSLError.fromErrorQueue(function: "BIO_new_mem_buf"))
            }
            defer { BIO_free(bio) }
            guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
                return .failure(OpenSSLError.fromErrorQueue(function: "PEM_read_bio_PrivateKey"))
            }
            return .success(key)
        }
        let key = try read.get()
        guard EVP_PKEY_is_a(key, "RSA") == 1 else {
            EVP_PKEY_free(key)
            throw OpenSSLError(function: "EVP_PKEY_is_a", code: 0, reason: "the private key is not an RSA key")
        }
        self.init(owning: key)
    }

    /// Encodes the key as unencrypted PKCS#8 PEM text.
    public func pemEncoded() throws(OpenSSLError) -> [UInt8] {
        ERR_clear_error()
        guard let bio = BIO_new(BIO_s_mem()) else { throw OpenSSLError.fromErrorQueue(function: "BIO_new") }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PrivateKey(bio, key, nil, nil, 0, nil, nil) == 1 else {
            throw OpenSSLError.fromErrorQueue(function: "PEM_write_bio_PrivateKey")
        }

        var pem = [UInt8](repeating: 0, count: Int(BIO_ctrl_pending(bio)))
        let read = pem.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32($0.count)) }
        guard read == pem.count else { throw OpenSSLError.fromErrorQueue(function: "BIO_read", fallbackReason: "short read") }
        return pem
    }

    /// Reads the public modulus `n` and exponent `e`, big-endian without leading zeros, as a JWK carries them.
    public func publicComponents() throws(OpenSSLError) -> (modulus: [UInt8], exponent: [UInt8]) {
        (try bigNumberParameter(OSSL_PKEY_PARAM_RSA_N), try bigNumberParameter(OSSL_PKEY_PARAM_RSA_E))
    }

    /// Signs `message` with RSASSA-PKCS1-v1_5 and SHA-256, the RS256 algorithm.
    public func signSHA256PKCS1(_ message: [UInt8]) throws(OpenSSLError) -> [UInt8] {
        ERR_clear_error()
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLError.fromErrorQueue(function: "EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }

        var keyContext: OpaquePointer?
        guard EVP_DigestSignInit_ex(context, &keyContext, "SHA256", nil, nil, key, nil) == 1, let keyContext else {
            throw OpenSSLError.fromErrorQueue(function: "EVP_DigestSignInit_ex")
        }
        guard EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PADDING) == 1 else {
            throw OpenSSLError.fromErrorQueue(function: "EVP_PKEY_CTX_set_rsa_padding")
        }

        // The first call reports the signature length, the second writes the signature.
        var length = 0
        guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else {
            throw OpenSSLError.fromErrorQueue(function: "EVP_DigestSign")
        }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1 else {
            throw OpenSSLError.fromErrorQueue(function: "EVP_DigestSign")
        }
        return Array(signature.prefix(length))
    }

    private func bigNumberParameter(_ name: String) throws(OpenSSLError) -> [UInt8] {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(key, name, &number) == 1, let number else {
            throw OpenSSLError.fromErrorQueue(function: "EVP_PKEY_get_bn_param")
        }
        defer { BN_free(number) }

        var bytes = [UInt8](repeating: 0, count: (Int(BN_num_bits(number)) + 7) / 8)
        guard BN_bn2bin(number, &bytes) == bytes.count else { throw OpenSSLError.fromErrorQueue(function: "BN_bn2bin") }
        return bytes
    }
}
