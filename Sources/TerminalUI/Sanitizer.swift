/// Makes untrusted text safe to show on a terminal: control characters (C0, DEL, C1) and
/// bidirectional controls become visible, inert text (`\x1b`, `\u{202e}`), so nothing a registry,
/// a file or a helper sends can move the cursor, retitle the window or reorder what is shown.
///
/// Every byte of such text reaches a terminal through here: the CLI's output and the TUI's
/// cell buffer both call it. regtui's own colours and cursor movements take a separate path.
public enum Sanitizer {
    /// `text` made inert, on one line (a newline becomes `\x0a`).
    public static func inline(_ text: String) -> String {
        var text = text
        let clean = text.withUTF8 { utf8 in unsafeRange(in: utf8, from: 0) == nil }
        if clean { return text }
        var bytes: [UInt8] = []
        append(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the UTF-8 of `text`, made inert, to `bytes`.
    public static func append(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { append(validUTF8: $0, to: &bytes) }
    }

    /// Appends `utf8`, made inert, to `bytes`. The bytes must be valid UTF-8, as the bytes of
    /// strings are (pieces of text gathered before they are made inert at once).
    public static func append(validUTF8 utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        var start = 0
        while let unsafe = unsafeRange(in: utf8, from: start) {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<unsafe.lowerBound]))
            let scalar = String(decoding: UnsafeBufferPointer(rebasing: utf8[unsafe]), as: UTF8.self).unicodeScalars.first!
            bytes.append(contentsOf: escaped(scalar).utf8)
            start = unsafe.upperBound
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
    }

    /// Whether a scalar could act on a terminal: C0 and C1 controls, DEL, and the bidirectional
    /// marks, embeddings, overrides and isolates.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7f...0x9f).contains(value) || value == 0x61c || value == 0x200e || value == 0x200f
            || (0x202a...0x202e).contains(value) || (0x2066...0x2069).contains(value)
    }

    /// `\x1b` for C0/C1 controls, `\u{202e}` for the rest.
    static func escaped(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        if scalar.value < 0x100 { return "\\x" + (hex.count < 2 ? "0" : "") + hex }
        return "\\u{" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "}"
    }

    /// The bytes of the first unsafe scalar at or after `start`, or nil. Works on UTF-8 directly:
    /// runs of printable ASCII, the common case, are passed eight bytes at a time, also between
    /// other characters (a table's `≠` or `—`).
    static func unsafeRange(in utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> Range<Int>? {
        var index = start
        while index < utf8.count {
            index = endOfPrintableASCII(in: utf8, from: index)
            guard index < utf8.count else { return nil }
            let byte = utf8[index]
            if byte < 0x80 {
                if byte < 0x20 || byte == 0x7f { return index..<index + 1 }
                index += 1
                continue
            }
            let length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2
            guard index + length <= utf8.count else { return nil }
            if isUnsafe(lead: byte, utf8[index + 1], length == 3 ? utf8[index + 2] : 0) { return index..<index + length }
            index += length
        }
        return nil
    }

    /// The first position from `start` whose byte is not printable ASCII (0x20…0x7e), or the
    /// end. Eight bytes at a time: no byte has its top bit, none is below 0x20, none is 0x7f.
    public static func endOfPrintableASCII(in utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        let raw = UnsafeRawBufferPointer(utf8)
        while index + 8 <= utf8.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let high: UInt64 = 0x8080_8080_8080_8080
            let below = (word &- 0x2020_2020_2020_2020) & ~word & high
            let delete = ((word ^ 0x7f7f_7f7f_7f7f_7f7f) &- 0x0101_0101_0101_0101) & ~(word ^ 0x7f7f_7f7f_7f7f_7f7f) & high
            guard (word & high) | below | delete == 0 else { break }
            index += 8
        }
        while index < utf8.count, utf8[index] >= 0x20, utf8[index] < 0x7f { index += 1 }
        return index
    }

    /// Whether the character of two or three bytes starting `lead`, `second`, `third` (0 for a
    /// two-byte one) is a C1 control (U+0080…U+009F), the Arabic letter mark (U+061C), or a
    /// bidirectional mark, embedding, override or isolate (U+200E/F, U+202A…E, U+2066…9).
    private static func isUnsafe(lead: UInt8, _ second: UInt8, _ third: UInt8) -> Bool {
        switch (lead, second) {
        case (0xc2, ..<0xa0): return true
        case (0xd8, 0x9c): return true
        case (0xe2, 0x80): return third == 0x8e || third == 0x8f || (0xaa...0xae).contains(third)
        case (0xe2, 0x81): return (0xa6...0xa9).contains(third)
        default: return false
        }
    }

    /// JSON text with every raw DEL, C1 and bidirectional control written as a `\uXXXX` escape,
    /// so the document is the same JSON value and exact, yet inert on a terminal. (C0 controls
    /// are escaped by every JSON writer already.) Those characters can only stand inside strings
    /// in valid JSON, so the bytes are rewritten without parsing.
    public static func escapingControls(inJSON bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { utf8 in
            guard unsafeRange(in: utf8, from: 0) != nil else { return bytes }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 64)
            var start = 0
            while let unsafe = unsafeRange(in: utf8, from: start) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<unsafe.lowerBound]))
                start = unsafe.upperBound
                if utf8[unsafe.lowerBound] < 0x20 {
                    out.append(utf8[unsafe.lowerBound])  // whitespace between tokens: JSON writers escape C0 in strings
                    continue
                }
                let scalar = String(decoding: UnsafeBufferPointer(rebasing: utf8[unsafe]), as: UTF8.self).unicodeScalars.first!
                let hex = String(scalar.value, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
            return out
        }
    }
}
