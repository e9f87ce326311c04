extension JSONValue {
    /// The value indented two spaces a level, keys in their order, scalars as written.
    public func prettyLines() -> [String] {
        var printer = PrettyPrinter(storage: storage)
        printer.print(self, depth: 0, key: nil, comma: false)
        return printer.lines
    }
}

extension JSONTree {
    /// The document indented two spaces a level, keys in their order, scalars as written.
    public func prettyLines() -> [String] { root.prettyLines() }
}

/// Writes a value as indented lines, each built from the document's bytes in one buffer.
private struct PrettyPrinter {
    let storage: JSONTree.Storage
    var lines: [String] = []
    private var line: [UInt8] = []
    /// Enough for the deepest document the parser accepts.
    private static let spaces = [UInt8](repeating: 0x20, count: Parser.maxDepth * 2)

    init(storage: JSONTree.Storage) { self.storage = storage }

    mutating func print(_ value: JSONValue, depth: Int, key: JSONValue?, comma: Bool) {
        begin(depth: depth, key: key)
        switch value.kind {
        case .string, .literal:
            storage.withBytes(of: storage.nodes[value.index]) { line.append(contentsOf: $0) }
        case .object where value.count == 0:
            line += [UInt8(ascii: "{"), UInt8(ascii: "}")]
        case .array where value.count == 0:
            line += [UInt8(ascii: "["), UInt8(ascii: "]")]
        case .object:
            line.append(UInt8(ascii: "{"))
            finish(comma: false)
            let last = value.count - 1
            for (position, member) in value.members.enumerated() {
                print(member.value, depth: depth + 1, key: member.key, comma: position != last)
            }
            begin(depth: depth, key: nil)
            line.append(UInt8(ascii: "}"))
        case .array:
            line.append(UInt8(ascii: "["))
            finish(comma: false)
            let last = value.count - 1
            for (position, item) in value.elements.enumerated() {
                print(item, depth: depth + 1, key: nil, comma: position != last)
            }
            begin(depth: depth, key: nil)
            line.append(UInt8(ascii: "]"))
        }
        finish(comma: comma)
    }

    /// Starts a line: the indentation, then `"key": ` for a member.
    private mutating func begin(depth: Int, key: JSONValue?) {
        line.removeAll(keepingCapacity: true)
        let indent = depth * 2
        line.append(contentsOf: Self.spaces.prefix(indent))
        guard let key else { return }
        storage.withBytes(of: storage.nodes[key.index]) { line.append(contentsOf: $0) }
        line += [UInt8(ascii: ":"), UInt8(ascii: " ")]
    }

    private mutating func finish(comma: Bool) {
        if comma { line.append(UInt8(ascii: ",")) }
        lines.append(String(decoding: line, as: UTF8.self))
    }
}
