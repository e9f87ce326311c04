extension JSONValue {
    /// The value indented two spaces a level, keys in their order, scalars as written.
    public func prettyLines() -> TextLines {
        storage.withView { view in
            var printer = PrettyPrinter(view: view)
            printer.print(index, depth: 0, key: nil, comma: false)
            return printer.lines
        }
    }
}

extension JSONTree {
    /// The document indented two spaces a level, keys in their order, scalars as written.
    public func prettyLines() -> TextLines { root.prettyLines() }
}

/// Writes a value as indented lines, straight from the document's bytes into one buffer,
/// walking the parsed nodes by index.
private struct PrettyPrinter {
    let view: JSONView
    var lines = TextLines()

    init(view: JSONView) {
        self.view = view
        // About a line a value; the source's bytes plus indentation.
        lines.reserveCapacity(lines: view.nodes.count, bytes: view.bytes.count * 2)
    }

    /// Prints node `index` (with `key`, a node index, for an object's member).
    mutating func print(_ index: Int, depth: Int, key: Int?, comma: Bool) {
        let count = view.count(index)
        begin(depth: depth, key: key)
        switch view.kind(index) {
        case .string, .literal:
            lines.append(contentsOf: view.text(index))
        case .object where count == 0:
            lines.append(UInt8(ascii: "{"))
            lines.append(UInt8(ascii: "}"))
        case .array where count == 0:
            lines.append(UInt8(ascii: "["))
            lines.append(UInt8(ascii: "]"))
        case .object:
            lines.append(UInt8(ascii: "{"))
            finish(comma: false)
            var position = index + 1
            for member in 0..<count {
                print(position + 1, depth: depth + 1, key: position, comma: member != count - 1)
                position = view.next(position + 1)
            }
            begin(depth: depth, key: nil)
            lines.append(UInt8(ascii: "}"))
        case .array:
            lines.append(UInt8(ascii: "["))
            finish(comma: false)
            var position = index + 1
            for item in 0..<count {
                print(position, depth: depth + 1, key: nil, comma: item != count - 1)
                position = view.next(position)
            }
            begin(depth: depth, key: nil)
            lines.append(UInt8(ascii: "]"))
        }
        finish(comma: comma)
    }

    /// Starts a line: the indentation, then `"key": ` for a member.
    private mutating func begin(depth: Int, key: Int?) {
        for _ in 0..<depth * 2 { lines.append(0x20) }
        guard let key else { return }
        lines.append(contentsOf: view.text(key))
        lines.append(UInt8(ascii: ":"))
        lines.append(UInt8(ascii: " "))
    }

    private mutating func finish(comma: Bool) {
        if comma { lines.append(UInt8(ascii: ",")) }
        lines.endLine()
    }
}
