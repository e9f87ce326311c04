import Testing
import TerminalUI

@Suite struct SanitizerTests {
    @Test func sanitizerMakesEscapesInert() {
        #expect(Sanitizer.inline("ok\u{1b}[31mred\u{07}") == "ok\\x1b[31mred\\x07")
        #expect(Sanitizer.inline("a\u{9b}b\u{202e}c\u{2067}d\u{200f}e\u{61c}f\u{7f}") == "a\\x9bb\\u{202e}c\\u{2067}d\\u{200f}e\\u{061c}f\\x7f")
        #expect(Sanitizer.inline("line\nbreak") == "line\\x0abreak")
        #expect(Sanitizer.inline("café ☃ 漢字 \u{a0}nbsp 🐳") == "café ☃ 漢字 \u{a0}nbsp 🐳")
    }

    /// The byte scan agrees with the definition by scalars, for every scalar near the unsafe ranges.
    @Test func byteScanAgreesWithTheScalarDefinition() {
        let probes: [ClosedRange<UInt32>] = [0...0x2ff, 0x600...0x620, 0x2000...0x2070, 0xfff0...0xfffd, 0x1f400...0x1f410]
        for range in probes {
            for value in range {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let text = "a" + String(Character(scalar)) + "b"
                let expected = Sanitizer.isUnsafe(scalar) ? "a" + Self.escape(value) + "b" : text
                #expect(Sanitizer.inline(text) == expected, "U+\(String(value, radix: 16))")
            }
        }
    }

    /// Printable ASCII is skipped eight bytes at a time: every unsafe scalar is still found at
    /// every offset in a long line, between any printable neighbours, and so is the first of two.
    @Test func wordAtATimeScanMissesNothing() {
        let unsafe: [UInt32] = [0x00, 0x07, 0x1b, 0x1f, 0x7f, 0x85, 0x9b, 0x202e, 0x2066]
        let printable = (0x20...0x7e).map { Character(Unicode.Scalar($0)!) }
        for value in unsafe {
            for offset in 0..<24 {
                let before = String((0..<offset).map { printable[($0 * 7 + Int(value)) % printable.count] })
                let after = String(printable.shuffled().prefix(17))
                let text = before + String(Character(Unicode.Scalar(value)!)) + after
                #expect(Sanitizer.inline(text) == before + Self.escape(value) + after, "U+\(String(value, radix: 16)) at \(offset)")
                #expect(Sanitizer.inline(text + text) == (before + Self.escape(value) + after) + (before + Self.escape(value) + after))
            }
        }
        let long = String(repeating: "~ -", count: 1_000)
        #expect(Sanitizer.inline(long) == long, "0x7e, 0x20 and 0x2d are printable")
    }

    /// Indented JSON keeps its line breaks and indentation; DEL, C1 and bidirectional controls
    /// inside strings become `\u` escapes, so the value is the same and the text inert.
    @Test func jsonKeepsItsWhitespaceAndEscapesTheRest() {
        let json = "{\n\t\"a\": \"x\u{7f}y\u{9b}z\u{202e}\",\r\n  \"b\": [\n    1\n  ]\n}\n"
        let escaped = String(decoding: Sanitizer.escapingControls(inJSON: Array(json.utf8)), as: UTF8.self)
        #expect(escaped == "{\n\t\"a\": \"x\\u007fy\\u009bz\\u202e\",\r\n  \"b\": [\n    1\n  ]\n}\n")
        let plain = Array("{\n  \"a\": 1\n}\n".utf8)
        #expect(Sanitizer.escapingControls(inJSON: plain) == plain)
    }

    static func escape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return value < 0x100 ? "\\x" + (hex.count < 2 ? "0" : "") + hex
                             : "\\u{" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "}"
    }
}
