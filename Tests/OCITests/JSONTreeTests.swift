import Foundation
import OCI
import Testing

@Suite struct JSONTreeTests {
    @Test func prettyPrintKeepsOrderAndScalarTextExactly() throws {
        let text = #"{"z":1.50,"a":[true,null,{"é":"caf\u00e9 \"q\""}],"e":{},"f":[],"n":-0.0e+3}"#
        let tree = try JSONTree.parse(Data(text.utf8))
        #expect(tree.prettyLines() == [
            "{",
            #"  "z": 1.50,"#,
            #"  "a": ["#,
            "    true,",
            "    null,",
            "    {",
            #"      "é": "caf\u00e9 \"q\"""#,
            "    }",
            "  ],",
            #"  "e": {},"#,
            #"  "f": [],"#,
            #"  "n": -0.0e+3"#,
            "}",
        ])
    }

    @Test func decodesEscapesIncludingSurrogatePairs() {
        #expect(JSONTree.decodedString(#""a\n\t\u00e9\ud83d\ude00\/""#) == "a\n\té😀/")
    }

    @Test(arguments: [
        (#"{"a":1,}"#, 7), (#"{"a" 1}"#, 5), ("[1,2", 4), (#""abc"#, 0), ("01", 0), (#"{"a":tru}"#, 5), ("{} x", 3),
    ])
    func errorsSayWhere(text: String, offset: Int) {
        #expect(throws: JSONTreeError.self) { _ = try JSONTree.parse(Data(text.utf8)) }
        do { _ = try JSONTree.parse(Data(text.utf8)) } catch { #expect(error.offset == offset) }
    }

    /// Strings are scanned eight bytes at a time: a quote, backslash or control character must be
    /// found wherever it falls in such a word, and past its end.
    @Test(arguments: 0..<17)
    func stringScanFindsSpecialBytesAtEveryOffset(offset: Int) throws {
        let plain = String(repeating: "a", count: offset)
        let escaped = try JSONTree.parse(Data(#"["\#(plain)\"x\\y\u00e9", 1]"#.utf8))
        #expect(Array(try #require(escaped.root.items)).first?.string == plain + "\"x\\yé")
        let control = Data("[\"\(plain)\u{01}\"]".utf8)
        #expect { _ = try JSONTree.parse(control) } throws: { ($0 as? JSONTreeError)?.offset == offset + 2 }
        let unterminated = Data("[\"\(plain)".utf8)
        #expect { _ = try JSONTree.parse(unterminated) } throws: { "\($0)".contains("unterminated string") }
    }

    @Test func refusesAbsurdNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect { _ = try JSONTree.parse(Data(deep.utf8)) } throws: { "\($0)".contains("nested more than") }
    }
}

