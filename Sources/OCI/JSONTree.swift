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

    /// Parses `data`; throws with the byte offset of the first problem. The bytes are copied
    /// once into an array: reading values is then a plain memory access.
    public static func parse(_ data: Data) throws(JSONTreeError) -> JSONTree {
        guard data.count < Int(UInt32.max) else {
            throw JSONTreeError(offset: 0, message: "the document is larger than 4 GiB")
        }
        let bytes = [UInt8](data)
        let nodes = try bytes.withUnsafeBufferPointer { (buffer) throws(JSONTreeError) -> [Node] in
            var parser = Parser(bytes: buffer)
            parser.skipWhitespace()
            try parser.value(depth: 0)
            parser.skipWhitespace()
            guard parser.position == buffer.count else { throw parser.error("unexpected text after the document") }
            return parser.nodes
        }
        return JSONTree(storage: Storage(bytes: bytes, nodes: nodes))
    }

    /// The member `key` (unquoted) of the top-level object, if any.
    public subscript(key: String) -> JSONValue? { root[key] }

    /// The document indented two spaces a level, keys in their order, scalars as written.
    public func prettyLines() -> [String] { root.prettyLines() }

    /// Whether two documents hold the same JSON value: member order ignored, strings compared
    /// after decoding escapes, numbers by their decimal value.
    public func sameValue(as other: JSONTree) -> Bool { root.sameValue(as: other.root) }

    /// The bytes and their nodes, shared by every value of the document.
    final class Storage: Sendable {
        let bytes: [UInt8]
        let nodes: [Node]

        init(bytes: [UInt8], nodes: [Node]) {
            self.bytes = bytes
            self.nodes = nodes
        }

        /// Runs `body` on the bytes of `node`, less `trim` bytes at each end.
        func withBytes<Result>(of node: Node, trim: Int = 0, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
            bytes.withUnsafeBytes { raw in body(UnsafeRawBufferPointer(rebasing: raw[Int(node.start) + trim..<Int(node.end) - trim])) }
        }

        /// The text of `node`, less `trim` bytes at each end.
        func text(of node: Node, trim: Int = 0) -> String {
            withBytes(of: node, trim: trim) { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// One value: its kind, its bytes `start..<end`, how many members or items it has, and the
    /// index of the first node after it (its members or items lie in between, keys before values).
    struct Node: Sendable {
        var kind: JSONValue.Kind
        var start: UInt32
        var end: UInt32
        var count: UInt32 = 0
        var next: UInt32 = 0
        /// A string with `\` escapes, whose text is not its value.
        var escaped = false
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
    public var text: String {
        storage.text(of: node)
    }

    /// Whether the two values are written with exactly the same bytes.
    public func sameText(as other: JSONValue) -> Bool {
        let a = node, b = other.node
        guard a.end - a.start == b.end - b.start else { return false }
        return storage.withBytes(of: a) { mine in
            other.storage.withBytes(of: b) { theirs in memcmp(mine.baseAddress!, theirs.baseAddress!, mine.count) == 0 }
        }
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
        guard kind == .object else { return nil }
        let quoted = Array(("\"" + key + "\"").utf8)
        for member in members where member.key.sameText(as: quoted) { return member.value }
        return members.first { $0.key.hasEscapes && $0.key.string == key }?.value
    }

    private func sameText(as bytes: [UInt8]) -> Bool {
        let node = node
        return Int(node.end - node.start) == bytes.count && storage.withBytes(of: node) { $0.elementsEqual(bytes) }
    }

    private var hasEscapes: Bool { node.escaped }

    /// The decoded text of a string value.
    public var string: String? {
        guard kind == .string else { return nil }
        if hasEscapes { return JSONTree.decodedString(text) }
        return storage.text(of: node, trim: 1)
    }

    /// An integer value.
    public var integer: Int64? {
        guard kind == .literal else { return nil }
        return storage.withBytes(of: node) { bytes -> Int64? in
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
    }

    /// Whether the value is written exactly as `literal` (a key with its quotes, say): matches
    /// known keys without making a string.
    public func isText(_ literal: StaticString) -> Bool {
        let node = node
        guard Int(node.end - node.start) == literal.utf8CodeUnitCount else { return false }
        return storage.withBytes(of: node) { memcmp($0.baseAddress!, literal.utf8Start, literal.utf8CodeUnitCount) == 0 }
    }

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
        guard kind == .object, count > 1 else { return nil }
        if count <= 8 {
            let keys = Array(members.map(\.key))
            for later in 1..<keys.count {
                for earlier in 0..<later where keys[earlier].sameKey(as: keys[later]) {
                    return (keys[later].string ?? "", keys[later].offset)
                }
            }
            return nil
        }
        var seen = Set<String>()
        for member in members where !seen.insert(member.key.string ?? "").inserted {
            return (member.key.string ?? "", member.key.offset)
        }
        return nil
    }

    /// Whether two keys name the same member: the same bytes, or the same text once unescaped.
    private func sameKey(as other: JSONValue) -> Bool {
        if !hasEscapes && !other.hasEscapes { return sameText(as: other) }
        return string == other.string
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

    // MARK: - Pretty printing

    /// The value indented two spaces a level, keys in their order, scalars as written.
    public func prettyLines() -> [String] {
        var printer = PrettyPrinter(storage: storage)
        printer.print(self, depth: 0, key: nil, comma: false)
        return printer.lines
    }

    // MARK: - Values

    /// Whether two values are the same JSON value: member order ignored, strings compared after
    /// decoding escapes, numbers by their decimal value.
    public func sameValue(as other: JSONValue) -> Bool {
        var spelling = JSONSpelling()
        return sameValue(as: other, noting: &spelling)
    }

    /// When two values are the same JSON value, how they are written differently (nil when they
    /// are different values). One walk answers both.
    public func spellingDifferences(from other: JSONValue) -> JSONSpelling? {
        var spelling = JSONSpelling()
        return sameValue(as: other, noting: &spelling) ? spelling : nil
    }

    private func sameValue(as other: JSONValue, noting spelling: inout JSONSpelling) -> Bool {
        guard kind == other.kind else { return false }
        switch kind {
        case .object:
            guard count == other.count else { return false }
            if zip(members, other.members).allSatisfy({ $0.key.sameText(as: $1.key) }) {
                return zip(members, other.members).allSatisfy { $0.value.sameValue(as: $1.value, noting: &spelling) }
            }
            var byKey: [String: JSONValue] = [:]
            for member in other.members { byKey[member.key.string ?? ""] = member.value }
            guard byKey.count == other.count else { return false }
            for (mine, theirs) in zip(members, other.members) where !mine.key.sameText(as: theirs.key) {
                if mine.key.string == theirs.key.string { spelling.escapes = true } else { spelling.keyOrder = true }
            }
            return members.allSatisfy { member in
                byKey[member.key.string ?? ""].map { member.value.sameValue(as: $0, noting: &spelling) } ?? false
            }
        case .array:
            guard count == other.count else { return false }
            return zip(elements, other.elements).allSatisfy { $0.sameValue(as: $1, noting: &spelling) }
        case .string:
            if sameText(as: other) { return true }
            guard string == other.string else { return false }
            spelling.escapes = true
            return true
        case .literal:
            if sameText(as: other) { return true }
            guard let x = JSONTree.decimal(text), let y = JSONTree.decimal(other.text), x == y else { return false }
            spelling.numbers = true
            return true
        }
    }
}

/// How two documents holding the same JSON value are written differently, beyond whitespace.
public struct JSONSpelling: Equatable, Sendable {
    /// Some object's keys come in another order.
    public var keyOrder = false
    /// Some string or key is escaped differently (`\u00e9` vs `é`).
    public var escapes = false
    /// Some number is spelled differently (`2` vs `2.0`).
    public var numbers = false

    public init() {}

    /// Whether only whitespace differs.
    public var isWhitespaceOnly: Bool { !keyOrder && !escapes && !numbers }
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

    /// A number's value as (sign, digits without leading zeros, exponent), so `1.0`, `1` and `10e-1` compare equal.
    static func decimal(_ text: String) -> [String]? {
        var chars = Substring(text)
        var negative = false
        if chars.first == "-" { negative = true; chars = chars.dropFirst() }
        var mantissa = chars
        var exponent = 0
        if let e = chars.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(chars[chars.index(after: e)...].replacingOccurrences(of: "+", with: "")) else { return nil }
            exponent = value
            mantissa = chars[..<e]
        }
        var digits = mantissa
        if let dot = mantissa.firstIndex(of: ".") {
            let fraction = mantissa[mantissa.index(after: dot)...]
            exponent -= fraction.count
            digits = mantissa[..<dot] + fraction
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        var trimmed = String(digits.drop { $0 == "0" })
        while trimmed.hasSuffix("0") { trimmed.removeLast(); exponent += 1 }
        if trimmed.isEmpty { return ["0"] }
        return [negative ? "-" : "+", trimmed, String(exponent)]
    }
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

/// Why a document is not JSON, and where.
public struct JSONTreeError: Error, Equatable, Sendable, CustomStringConvertible {
    public let offset: Int
    public let message: String
    public var description: String { "not valid JSON at byte \(offset): \(message)" }
}

/// Reads bytes into nodes, in document order, checking the grammar as it goes.
private struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var nodes: [JSONTree.Node] = []
    static let maxDepth = 512

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        nodes.reserveCapacity(bytes.count / 16 + 1)
    }

    func error(_ message: String) -> JSONTreeError { JSONTreeError(offset: position, message: message) }

    mutating func skipWhitespace() {
        while position < bytes.count, Self.isWhitespace(bytes[position]) { position += 1 }
    }

    /// Appends the value at `position` and everything inside it.
    mutating func value(depth: Int) throws(JSONTreeError) {
        guard depth < Self.maxDepth else { throw error("nested more than \(Self.maxDepth) levels deep") }
        guard position < bytes.count else { throw error("the document ends where a value should be") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            let slot = open(.object)
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") { return close(slot) }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a \"key\"") }
                try string()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected \":\" after a key") }
                position += 1
                skipWhitespace()
                try value(depth: depth + 1)
                nodes[slot].count += 1
                skipWhitespace()
                guard position < bytes.count else { throw error("unterminated object") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { return close(slot) }
                throw error("expected \",\" or \"}\"")
            }
        case UInt8(ascii: "["):
            let slot = open(.array)
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") { return close(slot) }
            while true {
                skipWhitespace()
                try value(depth: depth + 1)
                nodes[slot].count += 1
                skipWhitespace()
                guard position < bytes.count else { throw error("unterminated array") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { return close(slot) }
                throw error("expected \",\" or \"]\"")
            }
        case UInt8(ascii: "\""):
            try string()
        default:
            let start = position
            while position < bytes.count, !Self.isDelimiter(bytes[position]) { position += 1 }
            let text = UnsafeBufferPointer(rebasing: bytes[start..<position])
            guard Self.isLiteral(text) else {
                position = start
                let shown = String(decoding: text.prefix(20), as: UTF8.self)
                throw error("unexpected \(text.isEmpty ? "character" : "\"\(shown)\"")")
            }
            append(.literal, from: start)
        }
    }

    /// Starts a container at `position`; returns its node's index.
    private mutating func open(_ kind: JSONValue.Kind) -> Int {
        nodes.append(JSONTree.Node(kind: kind, start: UInt32(position), end: 0))
        position += 1
        return nodes.count - 1
    }

    /// Ends the container at `slot` with the bracket at `position`.
    private mutating func close(_ slot: Int) {
        position += 1
        nodes[slot].end = UInt32(position)
        nodes[slot].next = UInt32(nodes.count)
    }

    private mutating func append(_ kind: JSONValue.Kind, from start: Int, escaped: Bool = false) {
        nodes.append(JSONTree.Node(kind: kind, start: UInt32(start), end: UInt32(position), next: UInt32(nodes.count + 1),
                                   escaped: escaped))
    }

    /// A string, quotes included; escapes checked, not decoded.
    mutating func string() throws(JSONTreeError) {
        let start = position
        var escaped = false
        position += 1
        while position < bytes.count {
            position = Self.endOfPlainText(bytes, from: position)
            guard position < bytes.count else { break }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return append(.string, from: start, escaped: escaped)
            }
            if byte < 0x20 { throw error("a raw control character inside a string") }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                guard position + 1 < bytes.count else { break }
                let escape = bytes[position + 1]
                if escape == UInt8(ascii: "u") {
                    guard position + 6 <= bytes.count,
                          bytes[position + 2..<position + 6].allSatisfy({ Self.isHex($0) }) else { throw error("a bad \\u escape") }
                    position += 6
                    continue
                }
                guard "\"\\/bfnrt".utf8.contains(escape) else { throw error("a bad escape \\\(Character(Unicode.Scalar(escape)))") }
                position += 2
                continue
            }
            position += 1
        }
        position = start
        throw error("unterminated string")
    }

    /// The first position from `start` holding a quote, a backslash or a control character
    /// (or the end): the bytes before it are a string's plain text. Most of a manifest is
    /// strings, so this looks at eight bytes at a time.
    static func endOfPlainText(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let end = bytes.count
        if let base = UnsafeRawPointer(bytes.baseAddress) {
            while index + 8 <= end, !hasSpecialByte(base.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index += 8
            }
        }
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return index }
            index += 1
        }
        return end
    }

    /// Whether any of the eight bytes of `word` is a quote, a backslash or below 0x20, all
    /// tested at once (the "has zero byte" and "has byte less than" bit tricks).
    static func hasSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highBits: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highBits != 0 }
        return hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5c))
            || (word &- ones &* 0x20) & ~word & highBits != 0
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0a || byte == 0x0d || byte == 0x09
    }

    static func isDelimiter(_ byte: UInt8) -> Bool {
        isWhitespace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}")
            || byte == UInt8(ascii: ":")
    }

    static func isHex(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
    }

    static func isLiteral(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        if text.elementsEqual("true".utf8) || text.elementsEqual("false".utf8) || text.elementsEqual("null".utf8) { return true }
        // -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
        var bytes = text[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        func digits(_ slice: inout Slice<UnsafeBufferPointer<UInt8>>) -> Int {
            let count = slice.prefix { (48...57).contains($0) }.count
            slice = slice.dropFirst(count)
            return count
        }
        guard let first = bytes.first else { return false }
        let integerDigits = digits(&bytes)
        guard integerDigits > 0, first != UInt8(ascii: "0") || integerDigits == 1 else { return false }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digits(&bytes) > 0 else { return false }
        }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits(&bytes) > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
