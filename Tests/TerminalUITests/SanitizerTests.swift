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

    static func escape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return value < 0x100 ? "\\x" + (hex.count < 2 ? "0" : "") + hex
                             : "\\u{" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "}"
    }
}
