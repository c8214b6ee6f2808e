import Foundation

/// Files of the test target's `Fixtures` folder, copied into the bundle by SwiftPM.
enum Fixture {
    struct MissingFixture: Error, CustomStringConvertible {
        let path: String
        var description: String { "The fixture \(path) is not in the test bundle." }
    }

    /// Returns the bytes of `Fixtures/{path}`.
    static func data(_ path: String) throws -> Data {
        guard let root = Bundle.module.resourceURL else { throw MissingFixture(path: path) }
        let url = root.appendingPathComponent("Fixtures").appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw MissingFixture(path: path) }
        return data
    }

    static func text(_ path: String) throws -> String {
        String(decoding: try data(path), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
