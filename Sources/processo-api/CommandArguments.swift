/// The words after a subcommand: `--name value` options and positional arguments.
struct CommandArguments {
    private(set) var options: [String: String] = [:]
    private(set) var positional: [String] = []

    /// Splits `arguments`; every option must be one of `allowedOptions` and have a value.
    init(_ arguments: some Sequence<String>, allowedOptions: Set<String>) throws(UsageError) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            guard argument.hasPrefix("--") else {
                positional.append(argument)
                continue
            }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard allowedOptions.contains(name) else {
                throw UsageError("Unknown option --\(name).")
            }
            guard let optionValue = value ?? iterator.next() else {
                throw UsageError("Option --\(name) needs a value.")
            }
            options[name] = optionValue
        }
    }

    func integer(_ name: String) throws(UsageError) -> Int? {
        guard let text = options[name] else { return nil }
        guard let value = Int(text) else { throw UsageError("Option --\(name) must be a whole number; got \"\(text)\".") }
        return value
    }
}

/// A command line the program cannot run; printed with the usage text, exit status 2.
struct UsageError: Error {
    let message: String

    init(_ message: String) {
        self.message = message
    }
}
