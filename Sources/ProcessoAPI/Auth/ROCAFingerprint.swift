/// Recognizes RSA moduli from the Infineon key generator weakened by ROCA (CVE-2017-15361).
///
/// Such a generator builds primes as `k·M + (65537^a mod M)` with `M` a primorial, so for every small
/// prime `p` up to 167 the modulus taken mod `p` falls in the subgroup that 65537 generates mod `p`.
/// A random modulus passes all 38 tests with negligible probability. This is the fingerprint test of
/// Nemec et al., "The Return of Coppersmith's Attack" (ACM CCS 2017), as the authors' detector runs it.
enum ROCAFingerprint {
    static let primes = [
        3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113,
        127, 131, 137, 139, 149, 151, 157, 163, 167,
    ]

    /// For each prime, the residues that powers of 65537 reach.
    private static let subgroups: [Set<Int>] = primes.map { prime in
        var residues = Set<Int>()
        var power = 1
        repeat {
            residues.insert(power)
            power = power * (65537 % prime) % prime
        } while power != 1
        return residues
    }

    /// Returns whether the big-endian `modulus` has the fingerprint.
    static func matches(modulus: [UInt8]) -> Bool {
        for (prime, subgroup) in zip(primes, subgroups) {
            var remainder = 0
            for byte in modulus {
                remainder = (remainder * 256 + Int(byte)) % prime
            }
            if !subgroup.contains(remainder) {
                return false
            }
        }
        return true
    }
}
