import OCI
import Testing

@Suite struct SanitizerTests {
    @Test func sanitizerMakesEscapesInert() {
        #expect(Sanitizer.inline("ok\u{1b}[31mred\u{07}") == "ok\\x1b[31mred\\x07")
        #expect(Sanitizer.inline("a\u{9b}b\u{202e}c") == "a\\x9bb\\u{202e}c")
        #expect(Sanitizer.inline("café ☃ 漢字") == "café ☃ 漢字")
        #expect(Sanitizer.inline("abcdef", limit: 3) == "abc…")
    }
}
