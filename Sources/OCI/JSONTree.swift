import Foundation

/// A JSON document as written: object keys in their order, every key and scalar as its exact
/// source text (escapes, number spelling and unicode as they were). Made for showing what a
/// registry holds, and for telling "same value" from "same bytes".
///
/// Parsing makes no strings: the document is one flat list of nodes (kind and byte range) over
/// the bytes, so a 4 MiB manifest with tens of thousands of descriptors parses in milliseconds
/// and costs a few bytes per value. Text is made on request.
public struct JSONTree: Sendable {
    let storage: Storage

    /// The document's top-level value.
    public var root: JSONValue { JSONValue(storage: storage, index: 0) }

    /// Parses `data`; throws with the byte offset of the first problem. The nodes point into
    /// `data` itself, which the tree keeps (no copy).
    public static func parse(_ data: Data) throws(JSONTreeError) -> JSONTree {
        guard data.count < Int(UInt32.max) else {
            throw JSONTreeError(offset: 0, message: "the document is larger than 4 GiB")
        }
        let parsed = data.withUnsafeBytes { raw in
            Result { () throws(JSONTreeError) -> [Node] in
                let buffer = raw.assumingMemoryBound(to: UInt8.self)
                var parser = Parser(bytes: buffer)
                parser.skipWhitespace()
                try parser.value(depth: 0)
                parser.skipWhitespace()
                guard parser.position == buffer.count else { throw parser.error("unexpected text after the document") }
                return parser.nodes
            }
        }
        return JSONTree(storage: Storage(bytes: data, nodes: try parsed.get()))
    }

    /// The member `key` (unquoted) of the top-level object, if any.
    public subscript(key: String) -> JSONValue? { root[key] }

    /// The bytes and their nodes, shared by every value of the document.
    final class Storage: Sendable {
        let bytes: Data
        let nodes: [Node]

        init(bytes: Data, nodes: [Node]) {
            self.bytes = bytes
            self.nodes = nodes
        }
    }

    /// One value: its kind, its bytes `start..<end`, how many members or items it has, and the
    /// index of the first node after it (its members or items lie in between, keys before values).
    /// Sixteen bytes: a manifest of tens of thousands of descriptors has hundreds of thousands.
    struct Node: Sendable {
        var start: UInt32
        var end: UInt32
        /// The count (low 29 bits), the kind (2 bits) and, for a string, whether it has escapes.
        private var packed: UInt32
        var next: UInt32

        /// The most members or items one container can have.
        static let maxCount: UInt32 = 1 << 29 - 1

        init(kind: JSONValue.Kind, start: UInt32, end: UInt32, next: UInt32 = 0, escaped: Bool = false) {
            self.start = start
            self.end = end
            self.next = next
            packed = UInt32(kind.rawValue) << 29 | (escaped ? 1 << 31 : 0)
        }

        var kind: JSONValue.Kind { JSONValue.Kind(rawValue: UInt8(packed >> 29 & 3))! }

        /// A string with `\` escapes, whose text is not its value.
        var escaped: Bool { packed >> 31 == 1 }

        var count: UInt32 { packed & Self.maxCount }

        /// Counts one more member or item; false when the container already has `maxCount`.
        mutating func countOneMore() -> Bool {
            guard count < Self.maxCount else { return false }
            packed += 1
            return true
        }
    }
}

/// One value inside a `JSONTree`.
public struct JSONValue: Sendable {
    /// What a value is.
    public enum Kind: UInt8, Sendable {
        case object, array, string
        /// A number, `true`, `false` or `null`.
        case literal
    }

    let storage: JSONTree.Storage
    let index: Int

    private var node: JSONTree.Node { storage.nodes[index] }

    public var kind: Kind { node.kind }

    /// The value's source text, exactly as written (a string's includes its quotes and escapes).
    public var text: String { storage.withView { String(decoding: $0.text(index), as: UTF8.self) } }

    /// Whether the two values are written with exactly the same bytes.
    public func sameText(as other: JSONValue) -> Bool {
        storage.withView { mine in other.storage.withView { JSONView.equal(mine.text(index), $0.text(other.index)) } }
    }

    /// The members of an object in document order (none for other kinds); keys are string values.
    public var members: Members { Members(storage: storage, position: index + 1, remaining: kind == .object ? Int(node.count) : 0) }

    /// The items of an array, or nil for other kinds.
    public var items: Items? { kind == .array ? elements : nil }

    /// The items of an array (none for other kinds).
    var elements: Items { Items(storage: storage, position: index + 1, remaining: kind == .array ? count : 0) }

    /// How many members or items a container has (0 for scalars).
    public var count: Int { Int(node.count) }

    /// The member `key` (unquoted) of an object, if any.
    public subscript(key: String) -> JSONValue? {
        var quoted = "\"" + key + "\""
        let found = quoted.withUTF8 { quoted in
            storage.withView { view in
                view.keys(of: index).first { JSONView.equal(view.text($0), UnsafeRawBufferPointer(quoted)) }
                    ?? view.keys(of: index).first { view.isEscaped($0) && view.string($0) == key }
            }
        }
        return found.map { JSONValue(storage: storage, index: $0 + 1) }
    }

    /// The decoded text of a string value.
    public var string: String? {
        kind == .string ? storage.withView { $0.string(index) } : nil
    }

    /// An integer value.
    public var integer: Int64? { storage.withView { $0.integer(index) } }

    /// Whether the value is written exactly as `literal` (a key with its quotes, say): matches
    /// known keys without making a string.
    public func isText(_ literal: StaticString) -> Bool { storage.withView { $0.isText(index, literal) } }

    /// `case "\"mediaType\"":` in a `switch` over a key matches its exact text.
    public static func ~= (pattern: StaticString, value: JSONValue) -> Bool { value.isText(pattern) }

    /// An object of string values, as annotations are.
    public var stringMap: [String: String]? {
        guard kind == .object else { return nil }
        var map: [String: String] = [:]
        for member in members { if let value = member.value.string { map[member.key.string ?? ""] = value } }
        return map
    }

    /// Where the value starts in its document, in bytes from 0.
    public var offset: Int { Int(node.start) }

    /// The first key of an object that repeats an earlier one (keys compared as decoded text), or
    /// nil. Readers disagree on which of two equal keys counts, so a document that repeats one can
    /// show one reader a decoy: regtui refuses it instead.
    public var repeatedKey: (key: String, offset: Int)? {
        storage.withView { view in view.repeatedKey(in: index).map { (view.string($0), Int(view.nodes[$0].start)) } }
    }

    /// The members of an object, in document order.
    public struct Members: Sequence, IteratorProtocol, Sendable {
        let storage: JSONTree.Storage
        var position: Int
        var remaining: Int

        public mutating func next() -> (key: JSONValue, value: JSONValue)? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            let key = JSONValue(storage: storage, index: position)
            let value = JSONValue(storage: storage, index: position + 1)
            position = Int(storage.nodes[position + 1].next)
            return (key, value)
        }

        public var underestimatedCount: Int { remaining }
    }

    /// The items of an array, in order.
    public struct Items: Sequence, IteratorProtocol, Sendable {
        let storage: JSONTree.Storage
        var position: Int
        var remaining: Int

        public mutating func next() -> JSONValue? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            let item = JSONValue(storage: storage, index: position)
            position = Int(storage.nodes[position].next)
            return item
        }

        public var underestimatedCount: Int { remaining }
        public var count: Int { remaining }
    }
}


extension JSONTree {
    /// The decoded value of a string scalar or key (`"caf\u00e9"` → `café`); other text unchanged.
    public static func decodedString(_ raw: String) -> String {
        let utf8 = raw.utf8
        guard utf8.count >= 2, utf8.first == UInt8(ascii: "\""), utf8.last == UInt8(ascii: "\"") else { return raw }
        let inner = utf8.dropFirst().dropLast()
        guard inner.contains(UInt8(ascii: "\\")) else { return String(decoding: inner, as: UTF8.self) }
        let body = Array(inner)
        var scalars = String.UnicodeScalarView()
        var bytes: [UInt8] = []
        var index = 0
        func flush() {
            scalars.append(contentsOf: String(decoding: bytes, as: UTF8.self).unicodeScalars)
            bytes.removeAll()
        }
        while index < body.count {
            let byte = body[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < body.count else {
                bytes.append(byte)
                index += 1
                continue
            }
            flush()
            let escape = body[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0c}")
            case UInt8(ascii: "u"):
                var value = hex4(body, at: index) ?? 0xfffd
                index += 4
                if (0xd800..<0xdc00).contains(value), index + 5 < body.count, body[index] == UInt8(ascii: "\\"),
                   body[index + 1] == UInt8(ascii: "u"), let low = hex4(body, at: index + 2), (0xdc00..<0xe000).contains(low) {
                    value = 0x10000 + ((value - 0xd800) << 10) + (low - 0xdc00)
                    index += 6
                }
                scalars.append(Unicode.Scalar(value) ?? "\u{fffd}")
            default: scalars.append(Unicode.Scalar(escape))
            }
        }
        flush()
        return String(scalars)
    }

    private static func hex4(_ bytes: [UInt8], at index: Int) -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        return UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
    }
}
