import OCI
import Testing

@Suite struct JSONTreeTests {
    @Test func prettyPrintKeepsOrderAndScalarTextExactly() throws {
        let text = #"{"z":1.50,"a":[true,null,{"é":"caf\u00e9 \"q\""}],"e":{},"f":[],"n":-0.0e+3}"#
        let tree = try JSONTree.parse(Array(text.utf8))
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

    @Test func sameValueIgnoresOrderEscapesAndNumberSpelling() throws {
        let a = try JSONTree.parse(Array(#"{"a":"café","b":[1,2.0],"c":{"x":1,"y":2}}"#.utf8))
        let b = try JSONTree.parse(Array(#"{ "c": {"y": 2, "x": 1e0}, "b": [1.0, 2], "a": "caf\u00e9" }"#.utf8))
        let c = try JSONTree.parse(Array(#"{"a":"cafe","b":[1,2],"c":{"x":1,"y":2}}"#.utf8))
        #expect(a.sameValue(as: b))
        #expect(!a.sameValue(as: c))
        #expect(a != b, "different text is not ==")
    }

    @Test func decodesEscapesIncludingSurrogatePairs() {
        #expect(JSONTree.decodedString(#""a\n\t\u00e9\ud83d\ude00\/""#) == "a\n\té😀/")
    }

    @Test(arguments: [
        (#"{"a":1,}"#, 7), (#"{"a" 1}"#, 5), ("[1,2", 4), (#""abc"#, 0), ("01", 0), (#"{"a":tru}"#, 5), ("{} x", 3),
    ])
    func errorsSayWhere(text: String, offset: Int) {
        #expect(throws: JSONTreeError.self) { _ = try JSONTree.parse(Array(text.utf8)) }
        do { _ = try JSONTree.parse(Array(text.utf8)) } catch { #expect(error.offset == offset) }
    }

    @Test func refusesAbsurdNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect { _ = try JSONTree.parse(Array(deep.utf8)) } throws: { "\($0)".contains("nested more than") }
    }
}

