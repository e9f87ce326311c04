/// The words of a command line, consumed as a command reads its options and operands.
struct Arguments {
    private var words: [String]

    init(_ words: [String]) { self.words = words }

    /// Removes `--name` (or its short form) wherever it appears; true when it was there.
    mutating func flag(_ names: String...) -> Bool {
        var found = false
        words.removeAll { word in
            let match = names.contains(word)
            found = found || match
            return match
        }
        return found
    }

    /// Removes every `--name VALUE` / `--name=VALUE` and returns the values in order.
    mutating func options(_ names: String...) throws(UsageError) -> [String] {
        var values: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            if word == "--" { break }
            if names.contains(word) {
                guard index + 1 < words.count else { throw UsageError("\(word) needs a value") }
                values.append(words[index + 1])
                words.removeSubrange(index...index + 1)
            } else if let name = names.first(where: { word.hasPrefix($0 + "=") }) {
                values.append(String(word.dropFirst(name.count + 1)))
                words.remove(at: index)
            } else {
                index += 1
            }
        }
        return values
    }

    /// Removes `--name VALUE` and returns the last value given, if any.
    mutating func option(_ names: String...) throws(UsageError) -> String? {
        var last: String?
        for name in names { last = try options(name).last ?? last }
        return last
    }

    /// Takes the next operand, which must be there.
    mutating func operand(_ name: String) throws(UsageError) -> String {
        guard let value = try optionalOperand() else { throw UsageError("missing \(name)") }
        return value
    }

    /// Takes the next operand, if any.
    mutating func optionalOperand() throws(UsageError) -> String? {
        words.removeAll { $0 == "--" }
        guard let index = words.firstIndex(where: { !$0.hasPrefix("-") || $0 == "-" }) else {
            if let option = words.first { throw UsageError("unknown option \(option)") }
            return nil
        }
        return words.remove(at: index)
    }

    /// Fails if anything is left over.
    func finish() throws(UsageError) {
        if let word = words.first {
            throw UsageError(word.hasPrefix("-") ? "unknown option \(word)" : "unexpected argument \(word)")
        }
    }
}

/// A mistake on the command line; the command's usage is shown with it.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
