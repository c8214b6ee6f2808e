// The OpenSSL 3 headers the validator and the development identity need, in one module.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

// EVP_PKEY_PUBLIC_KEY is a macro built from other macros with `|`, which Swift does not import.
// EVP_PKEY_fromdata needs it to build a public-only RSA key from a JWK's n and e.
static inline int copenssl_selection_public_key(void) {
    return EVP_PKEY_PUBLIC_KEY;
}
