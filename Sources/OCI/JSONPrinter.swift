extension JSONValue {
    /// The value indented two spaces a level, keys in their order, scalars as written.
    public func prettyLines() -> TextLines {
        storage.bytes.withUnsafeBytes { raw in
            storage.nodes.withUnsafeBufferPointer { nodes in
                var printer = PrettyPrinter(bytes: raw.assumingMemoryBound(to: UInt8.self), nodes: nodes)
                printer.print(index, depth: 0, key: nil, comma: false)
                return printer.lines
            }
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
    let bytes: UnsafeBufferPointer<UInt8>
    let nodes: UnsafeBufferPointer<JSONTree.Node>
    var lines = TextLines()

    init(bytes: UnsafeBufferPointer<UInt8>, nodes: UnsafeBufferPointer<JSONTree.Node>) {
        self.bytes = bytes
        self.nodes = nodes
        // About a line a value; the source's bytes plus indentation.
        lines.reserveCapacity(lines: nodes.count, bytes: bytes.count * 2)
    }

    /// Prints node `index` (with `key`, a node index, for an object's member).
    mutating func print(_ index: Int, depth: Int, key: Int?, comma: Bool) {
        let node = nodes[index]
        begin(depth: depth, key: key)
        switch node.kind {
        case .string, .literal:
            append(node)
        case .object where node.count == 0:
            lines.append(UInt8(ascii: "{"))
            lines.append(UInt8(ascii: "}"))
        case .array where node.count == 0:
            lines.append(UInt8(ascii: "["))
            lines.append(UInt8(ascii: "]"))
        case .object:
            lines.append(UInt8(ascii: "{"))
            finish(comma: false)
            var position = index + 1
            for member in 0..<Int(node.count) {
                print(position + 1, depth: depth + 1, key: position, comma: member != node.count - 1)
                position = Int(nodes[position + 1].next)
            }
            begin(depth: depth, key: nil)
            lines.append(UInt8(ascii: "}"))
        case .array:
            lines.append(UInt8(ascii: "["))
            finish(comma: false)
            var position = index + 1
            for item in 0..<Int(node.count) {
                print(position, depth: depth + 1, key: nil, comma: item != node.count - 1)
                position = Int(nodes[position].next)
            }
            begin(depth: depth, key: nil)
            lines.append(UInt8(ascii: "]"))
        }
        finish(comma: comma)
    }

    private mutating func append(_ node: JSONTree.Node) {
        lines.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[Int(node.start)..<Int(node.end)]))
    }

    /// Starts a line: the indentation, then `"key": ` for a member.
    private mutating func begin(depth: Int, key: Int?) {
        for _ in 0..<depth * 2 { lines.append(0x20) }
        guard let key else { return }
        append(nodes[key])
        lines.append(UInt8(ascii: ":"))
        lines.append(UInt8(ascii: " "))
    }

    private mutating func finish(comma: Bool) {
        if comma { lines.append(UInt8(ascii: ",")) }
        lines.endLine()
    }
}
