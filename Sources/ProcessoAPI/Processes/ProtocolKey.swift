import Foundation

/// The form under which a filing protocol is stored and looked up.
///
/// The rule: a protocol's key is its letters and digits, in order, with letters in upper case,
/// after Unicode NFC normalization. Everything else is ignored: surrounding and inner spaces, and
/// the dots, dashes and slashes of formatted protocol numbers. So `2024/000.123-4`,
/// ` 20240001234 ` and `2024 0001234` are the same protocol, and `ab-12` is `AB12`. A protocol
/// without any letter or digit has an empty key, which is invalid.
public enum ProtocolKey {
    public static func normalize(_ text: String) -> String {
        let lettersAndDigits = text.precomposedStringWithCanonicalMapping.unicodeScalars.filter { scalar in
            scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: lettersAndDigits)
        return String(view).uppercased()
    }
}
