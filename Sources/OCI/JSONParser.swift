import Foundation

/// Why a document is not JSON, and where.
public struct JSONTreeError: Error, Equatable, Sendable, CustomStringConvertible {
    public let offset: Int
    public let message: String
    public var description: String { "not valid JSON at byte \(offset): \(message)" }
}

extension JSONTree {
    /// Whether `utf8` can go between a JSON string's quotes as it is: no quote, backslash or
    /// control character in it. Eight bytes at a time, as the parser reads strings.
    public static func isPlainString(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        Parser.endOfPlainText(utf8, from: 0) == utf8.count
    }
}

/// Reads bytes into nodes, in document order, checking the grammar as it goes.
struct Parser {
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
                guard nodes[slot].countOneMore() else { throw error("more than \(JSONTree.Node.maxCount) members or items in one container") }
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
                guard nodes[slot].countOneMore() else { throw error("more than \(JSONTree.Node.maxCount) members or items in one container") }
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
        func isWord(_ word: StaticString) -> Bool {
            text.count == word.utf8CodeUnitCount && memcmp(text.baseAddress!, word.utf8Start, text.count) == 0
        }
        if isWord("true") || isWord("false") || isWord("null") { return true }
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
