// The libFuzzer entry point for token parsing and validation; `make fuzz` builds and runs it.
//
// Each input is used four ways: as a compact token for the validator and for check-token's report,
// as a JWKS document, as JWT claims for the claim rules, and as base64url text. A crash, a run over
// the 10-second -timeout that fuzz/run sets, or an AddressSanitizer report is a bug; rejections are
// the expected outcome.

import Foundation

@testable import ProcessoAPI

/// The RFC 7520 section 4.1 public key (`kid` bilbo.baggins@hobbiton.example), so tokens can reach
/// the signature check.
private let keySet: JSONWebKeySet = {
    let jwks = #"""
        {"keys":[{"kty":"RSA","kid":"bilbo.baggins@hobbiton.example","use":"sig",
        "n":"n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw",
        "e":"AQAB"}]}
        """#
    return (try? JSONWebKeySet(jsonData: Array(jwks.utf8))) ?? .empty
}()

private let tenantID = "0b1e5a3c-7d2f-4e6a-9c8b-1f2e3d4c5b6a"

private let policy = TokenPolicy(
    tenantID: tenantID, audiences: ["api://6f9a2b1c-3d4e-4f5a-8b7c-9d0e1f2a3b4c"], appRoles: ["Processes.Read"], maxLifetime: 86_400)

private let validator = TokenValidator(policy: policy, keys: keySet)

private let now = Date(timeIntervalSince1970: 1_900_000_000)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)

    _ = try? validator.validate(text, at: now)
    _ = TokenCheckReport(token: text, validator: validator, at: now).lines(at: now)

    _ = try? JSONWebKeySet(jsonData: bytes)

    _ = JSONMembers.hasDuplicateTopLevelMember(bytes)
    if let claims = try? TokenClaims(decoding: bytes, keyID: "fuzz") {
        let rules = ClaimRules(policy: policy, claims: claims, keyID: "fuzz")
        _ = try? rules.checkTenant()
        try? rules.checkLifetime(at: now)
        try? rules.checkIssuer(keyIssuer: "https://login.microsoftonline.com/{tenantid}/v2.0")
        try? rules.checkAudience()
        try? rules.checkAuthorization(policy.defaultRequirement)
    }

    if let decoded = try? Base64URL.decode(utf8: bytes) {
        // Decoding and encoding must round-trip: each byte string has one accepted text form.
        precondition(Base64URL.encode(decoded) == text, "base64url text did not round-trip")
    }
    return 0
}
