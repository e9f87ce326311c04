import Foundation
#if canImport(OCI)  // the fuzz target builds this file into one module with OCI's
import OCI
#endif

/// Reads a page of a catalog or tag list, `{"name": "app", "tags": ["1.0", "1.1"]}`, without
/// building anything per value but the names themselves: a page costs little more than its own
/// bytes in memory, whatever it holds. Names that are not valid (`isValid`) are counted and
/// dropped: they could not be used in a reference anyway.
struct NameListPage {
    var names: [String] = []
    var skipped = 0

    private init() {}

    /// Why a page is not a name list, with the byte offset.
    struct Problem: Error { var offset: Int; var message: String }

    /// Parses `body`, taking the strings of the member `key` (absent or null: no names) that
    /// `isValid` accepts (given their UTF-8).
    init(_ body: Data, key: String, isValid: (UnsafeBufferPointer<UInt8>) -> Bool) throws(Problem) {
        let wanted = Array(("\"" + key + "\"").utf8)
        let outcome = body.withUnsafeBytes { raw in
            Result { () throws(Problem) in
                try Self.parse(Scanner(bytes: raw.bindMemory(to: UInt8.self)), wanted: wanted, isValid: isValid)
            }
        }
        self = try outcome.get()
    }

    private static func parse(_ scanner: Scanner, wanted: [UInt8],
                              isValid: (UnsafeBufferPointer<UInt8>) -> Bool) throws(Problem) -> NameListPage {
        var scanner = scanner
        var result = NameListPage()
        try scanner.expect(UInt8(ascii: "{"))
        var first = true
        while true {
            scanner.skipWhitespace()
            if scanner.peek == UInt8(ascii: "}") { scanner.position += 1; break }
            if !first { try scanner.expect(UInt8(ascii: ",")) }
            first = false
            scanner.skipWhitespace()
            let keyRange = try scanner.string()
            try scanner.expect(UInt8(ascii: ":"))
            scanner.skipWhitespace()
            if scanner.equals(keyRange, wanted) && scanner.peek == UInt8(ascii: "[") {
                try scanner.strings { utf8 in
                    if isValid(utf8) { result.names.append(String(decoding: utf8, as: UTF8.self)) } else { result.skipped += 1 }
                }
            } else {
                try scanner.skipValue(depth: 0)
            }
        }
        scanner.skipWhitespace()
        guard scanner.position == scanner.bytes.count else { throw scanner.problem("unexpected text after the object") }
        return result
    }

    /// A cursor over the page's bytes, checking the JSON grammar as it skips.
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0
        static let maxDepth = 64

        var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        func problem(_ message: String) -> Problem { Problem(offset: position, message: message) }

        mutating func skipWhitespace() {
            while let byte = peek, byte == 0x20 || byte == 0x0a || byte == 0x0d || byte == 0x09 { position += 1 }
        }

        mutating func expect(_ byte: UInt8) throws(Problem) {
            skipWhitespace()
            guard peek == byte else { throw problem("expected \"\(Character(Unicode.Scalar(byte)))\"") }
            position += 1
        }

        func equals(_ range: Range<Int>, _ literal: [UInt8]) -> Bool {
            range.count == literal.count && bytes[range].elementsEqual(literal)
        }

        /// A string's bytes, quotes included; checks escapes and refuses raw control characters.
        mutating func string() throws(Problem) -> Range<Int> {
            guard peek == UInt8(ascii: "\"") else { throw problem("expected a string") }
            let start = position
            position += 1
            while let byte = peek {
                position += 1
                switch byte {
                case UInt8(ascii: "\""): return start..<position
                case UInt8(ascii: "\\"):
                    guard let escape = peek else { break }
                    position += escape == UInt8(ascii: "u") ? 5 : 1
                case 0..<0x20: throw problem("a control character inside a string")
                default: continue
                }
            }
            throw problem("an unterminated string")
        }

        /// The UTF-8 of each string of an array, escapes decoded (`null` items are skipped).
        mutating func strings(_ take: (UnsafeBufferPointer<UInt8>) -> Void) throws(Problem) {
            try expect(UInt8(ascii: "["))
            skipWhitespace()
            if peek == UInt8(ascii: "]") { position += 1; return }
            while true {
                skipWhitespace()
                if peek == UInt8(ascii: "n") {
                    try literal("null")
                } else {
                    let range = try string()
                    let inner = UnsafeBufferPointer(rebasing: bytes[range.lowerBound + 1..<range.upperBound - 1])
                    if inner.contains(UInt8(ascii: "\\")) {
                        var decoded = JSONTree.decodedString(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
                        decoded.withUTF8 { take($0) }
                    } else {
                        take(inner)
                    }
                }
                skipWhitespace()
                guard let next = peek else { throw problem("an unterminated list") }
                position += 1
                if next == UInt8(ascii: "]") { return }
                guard next == UInt8(ascii: ",") else { throw problem("expected \",\" or \"]\" in the list") }
            }
        }

        mutating func literal(_ word: StaticString) throws(Problem) {
            let length = word.utf8CodeUnitCount
            guard position + length <= bytes.count,
                  memcmp(bytes.baseAddress! + position, word.utf8Start, length) == 0 else { throw problem("expected \(word)") }
            position += length
        }

        /// Skips any value, nested at most `maxDepth` deep.
        mutating func skipValue(depth: Int) throws(Problem) {
            guard depth < Self.maxDepth else { throw problem("values nested more than \(Self.maxDepth) deep") }
            skipWhitespace()
            guard let byte = peek else { throw problem("expected a value") }
            switch byte {
            case UInt8(ascii: "\""):
                _ = try string()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                position += 1
                skipWhitespace()
                if peek == close { position += 1; return }
                while true {
                    if close == UInt8(ascii: "}") {
                        skipWhitespace()
                        _ = try string()
                        try expect(UInt8(ascii: ":"))
                    }
                    try skipValue(depth: depth + 1)
                    skipWhitespace()
                    guard let next = peek else { throw problem("an unterminated value") }
                    position += 1
                    if next == close { return }
                    guard next == UInt8(ascii: ",") else { throw problem("expected \",\"") }
                }
            default:
                let start = position
                while let next = peek, !(next == UInt8(ascii: ",") || next == UInt8(ascii: "}") || next == UInt8(ascii: "]")
                                          || next == 0x20 || next == 0x0a || next == 0x0d || next == 0x09) { position += 1 }
                guard position > start, position - start <= 64 else { throw problem("an unreadable value") }
            }
        }
    }
}
