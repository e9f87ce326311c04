import Foundation

/// A parsed document read through pointers, a value named by its node's index: reading the tens
/// of thousands of descriptors of a large manifest this way costs no reference count per value.
/// Valid only inside `JSONTree.Storage.withView`.
struct JSONView {
    let nodes: UnsafeBufferPointer<JSONTree.Node>
    let bytes: UnsafeRawBufferPointer

    func kind(_ index: Int) -> JSONValue.Kind { nodes[index].kind }

    /// How many members or items container `index` has.
    func count(_ index: Int) -> Int { Int(nodes[index].count) }

    /// The index of the value after `index` and everything inside it.
    func next(_ index: Int) -> Int { Int(nodes[index].next) }

    /// Whether string `index` is written with `\` escapes.
    func isEscaped(_ index: Int) -> Bool { nodes[index].escaped }

    /// The source bytes of value `index`, less `trim` bytes at each end.
    func text(_ index: Int, trim: Int = 0) -> UnsafeRawBufferPointer {
        let node = nodes[index]
        return UnsafeRawBufferPointer(rebasing: bytes[Int(node.start) + trim..<Int(node.end) - trim])
    }

    /// Whether value `index` is written exactly as `literal`.
    func isText(_ index: Int, _ literal: StaticString) -> Bool {
        let text = text(index)
        return text.count == literal.utf8CodeUnitCount && memcmp(text.baseAddress!, literal.utf8Start, text.count) == 0
    }

    /// Whether values `x` and `y` are written with exactly the same bytes.
    func sameText(_ x: Int, _ y: Int) -> Bool {
        Self.equal(text(x), text(y))
    }

    static func equal(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Bool {
        x.count == y.count && (x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
    }

    /// The decoded text of string `index`.
    func string(_ index: Int) -> String {
        isEscaped(index) ? JSONTree.decodedString(String(decoding: text(index), as: UTF8.self))
            : String(decoding: text(index, trim: 1), as: UTF8.self)
    }

    /// The integer literal `index`, or nil when it is not one or does not fit 64 bits.
    func integer(_ index: Int) -> Int64? {
        guard kind(index) == .literal else { return nil }
        let bytes = text(index)
        let negative = bytes.first == UInt8(ascii: "-")
        let digits = bytes.dropFirst(negative ? 1 : 0)
        guard !digits.isEmpty else { return nil }
        var value: Int64 = 0
        for byte in digits {
            guard byte &- 48 < 10 else { return nil }
            let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowAgain) = times10.addingReportingOverflow(Int64(byte &- 48))
            guard !overflow, !overflowAgain else { return nil }
            value = sum
        }
        return negative ? -value : value
    }

    /// The indexes of the keys of object `index`, in document order (each key's value follows it).
    func keys(of index: Int) -> Keys {
        Keys(view: self, position: index + 1, remaining: kind(index) == .object ? count(index) : 0)
    }

    struct Keys: Sequence, IteratorProtocol {
        let view: JSONView
        var position: Int
        var remaining: Int

        mutating func next() -> Int? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            defer { position = view.next(position + 1) }
            return position
        }
    }

    /// The first key of object `index` that repeats an earlier one (compared as decoded text), or nil.
    func repeatedKey(in index: Int) -> Int? {
        guard kind(index) == .object, count(index) > 1 else { return nil }
        if count(index) <= 8 {
            // Each key against the ones before it, without gathering them (descriptors have a few).
            var seen = 0
            for later in keys(of: index) {
                for earlier in keys(of: index).prefix(seen) where sameKey(earlier, later) { return later }
                seen += 1
            }
            return nil
        }
        var seen = Set<String>()
        return keys(of: index).first { !seen.insert(string($0)).inserted }
    }

    /// Whether two keys name the same member: the same bytes, or the same text once unescaped.
    private func sameKey(_ x: Int, _ y: Int) -> Bool {
        !isEscaped(x) && !isEscaped(y) ? sameText(x, y) : string(x) == string(y)
    }
}

extension JSONTree.Storage {
    /// Runs `body` on a view of the document.
    func withView<Result>(_ body: (JSONView) -> Result) -> Result {
        bytes.withUnsafeBytes { raw in nodes.withUnsafeBufferPointer { body(JSONView(nodes: $0, bytes: raw)) } }
    }
}
