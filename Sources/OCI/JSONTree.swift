/// A JSON document as written: object keys in their order, every key and scalar as its exact
/// source text (escapes, number spelling and unicode as they were). Made for showing what a
/// registry holds, and for telling "same value" from "same bytes".
public indirect enum JSONTree: Equatable, Sendable {
    /// Members in document order; each key is its raw text including quotes.
    case object([(key: String, value: JSONTree)])
    case array([JSONTree])
    /// A string, number, `true`, `false` or `null`, as its raw text.
    case scalar(String)

    public static func == (lhs: JSONTree, rhs: JSONTree) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let a), .array(let b)): a == b
        case (.scalar(let a), .scalar(let b)): a == b
        default: false
        }
    }

    /// Parses `bytes`; throws with the byte offset of the first problem.
    public static func parse(_ bytes: [UInt8]) throws(JSONTreeError) -> JSONTree {
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        let tree = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.error("unexpected text after the document") }
        return tree
    }

    // MARK: - Pretty printing

    /// The document indented two spaces a level, keys in their order, scalars as written.
    public func prettyLines() -> [String] {
        var lines: [String] = []
        append(to: &lines, indent: "", prefix: "", suffix: "")
        return lines
    }

    private func append(to lines: inout [String], indent: String, prefix: String, suffix: String) {
        switch self {
        case .scalar(let text):
            lines.append(indent + prefix + text + suffix)
        case .object(let members) where members.isEmpty:
            lines.append(indent + prefix + "{}" + suffix)
        case .array(let items) where items.isEmpty:
            lines.append(indent + prefix + "[]" + suffix)
        case .object(let members):
            lines.append(indent + prefix + "{")
            for (position, member) in members.enumerated() {
                member.value.append(to: &lines, indent: indent + "  ", prefix: member.key + ": ",
                                    suffix: position == members.count - 1 ? "" : ",")
            }
            lines.append(indent + "}" + suffix)
        case .array(let items):
            lines.append(indent + prefix + "[")
            for (position, item) in items.enumerated() {
                item.append(to: &lines, indent: indent + "  ", prefix: "", suffix: position == items.count - 1 ? "" : ",")
            }
            lines.append(indent + "]" + suffix)
        }
    }

    // MARK: - Values

    /// Whether two documents hold the same JSON value: member order ignored, strings compared
    /// after decoding escapes, numbers by their decimal value.
    public func sameValue(as other: JSONTree) -> Bool {
        switch (self, other) {
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            if zip(a, b).allSatisfy({ $0.key == $1.key }) {
                return zip(a, b).allSatisfy { $0.value.sameValue(as: $1.value) }
            }
            var byKey: [String: JSONTree] = [:]
            for member in b { byKey[Self.decodedString(member.key)] = member.value }
            guard byKey.count == b.count else { return false }
            return a.allSatisfy { member in byKey[Self.decodedString(member.key)].map { member.value.sameValue(as: $0) } ?? false }
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.sameValue(as: $1) }
        case (.scalar(let a), .scalar(let b)):
            if a == b { return true }
            if a.hasPrefix("\""), b.hasPrefix("\"") { return Self.decodedString(a) == Self.decodedString(b) }
            if let x = Self.decimal(a), let y = Self.decimal(b) { return x == y }
            return false
        default:
            return false
        }
    }

    /// The member `key` (unquoted) of an object, if any.
    public subscript(key: String) -> JSONTree? {
        guard case .object(let members) = self else { return nil }
        let quoted = "\"" + key + "\""
        if let member = members.first(where: { $0.key == quoted }) { return member.value }
        return members.first { $0.key.utf8.contains(UInt8(ascii: "\\")) && Self.decodedString($0.key) == key }?.value
    }

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
    private static func decimal(_ text: String) -> [String]? {
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

/// Why a document is not JSON, and where.
public struct JSONTreeError: Error, Equatable, Sendable, CustomStringConvertible {
    public let offset: Int
    public let message: String
    public var description: String { "not valid JSON at byte \(offset): \(message)" }
}

private struct Parser {
    let bytes: [UInt8]
    var position = 0
    static let maxDepth = 512

    func error(_ message: String) -> JSONTreeError { JSONTreeError(offset: position, message: message) }

    mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x0a, 0x0d, 0x09].contains(bytes[position]) { position += 1 }
    }

    mutating func value(depth: Int) throws(JSONTreeError) -> JSONTree {
        guard depth < Self.maxDepth else { throw error("nested more than \(Self.maxDepth) levels deep") }
        guard position < bytes.count else { throw error("the document ends where a value should be") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            position += 1
            var members: [(key: String, value: JSONTree)] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a \"key\"") }
                let key = try string()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected \":\" after a key") }
                position += 1
                skipWhitespace()
                members.append((key, try value(depth: depth + 1)))
                skipWhitespace()
                guard position < bytes.count else { throw error("unterminated object") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
                throw error("expected \",\" or \"}\"")
            }
        case UInt8(ascii: "["):
            position += 1
            var items: [JSONTree] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
            while true {
                skipWhitespace()
                items.append(try value(depth: depth + 1))
                skipWhitespace()
                guard position < bytes.count else { throw error("unterminated array") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(items) }
                throw error("expected \",\" or \"]\"")
            }
        case UInt8(ascii: "\""):
            return .scalar(try string())
        default:
            let start = position
            while position < bytes.count, !Self.isDelimiter(bytes[position]) { position += 1 }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            guard Self.isLiteral(text) else {
                position = start
                throw error("unexpected \(text.isEmpty ? "character" : "\"\(text.prefix(20))\"")")
            }
            return .scalar(text)
        }
    }

    /// A string's raw text, quotes included; escapes checked, not decoded.
    mutating func string() throws(JSONTreeError) -> String {
        let start = position
        position += 1
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: bytes[start..<position], as: UTF8.self)
            }
            if byte < 0x20 { throw error("a raw control character inside a string") }
            if byte == UInt8(ascii: "\\") {
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

    static func isDelimiter(_ byte: UInt8) -> Bool {
        [0x20, 0x0a, 0x0d, 0x09, UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ":")].contains(byte)
    }

    static func isHex(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
    }

    static func isLiteral(_ text: String) -> Bool {
        if text == "true" || text == "false" || text == "null" { return true }
        // -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        func digits(_ slice: inout ArraySlice<UInt8>) -> Int {
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

// MARK: - Reading values

extension JSONTree {
    /// The decoded text of a string value.
    public var string: String? {
        guard case .scalar(let raw) = self, raw.hasPrefix("\"") else { return nil }
        return Self.decodedString(raw)
    }

    /// An integer value.
    public var integer: Int64? {
        guard case .scalar(let raw) = self, !raw.hasPrefix("\"") else { return nil }
        return Int64(raw)
    }

    public var items: [JSONTree]? { if case .array(let items) = self { items } else { nil } }

    /// An object of string values, as annotations are.
    public var stringMap: [String: String]? {
        guard case .object(let members) = self else { return nil }
        var map: [String: String] = [:]
        for member in members { if let value = member.value.string { map[Self.decodedString(member.key)] = value } }
        return map
    }
}
