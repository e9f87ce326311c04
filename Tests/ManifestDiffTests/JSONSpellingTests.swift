import Foundation
import ManifestDiff
import OCI
import Testing

@Suite struct JSONSpellingTests {
    @Test func sameValueIgnoresOrderEscapesAndNumberSpelling() throws {
        let a = try JSONTree.parse(Data(#"{"a":"café","b":[1,2.0],"c":{"x":1,"y":2}}"#.utf8))
        let b = try JSONTree.parse(Data(#"{ "c": {"y": 2, "x": 1e0}, "b": [1.0, 2], "a": "caf\u00e9" }"#.utf8))
        let c = try JSONTree.parse(Data(#"{"a":"cafe","b":[1,2],"c":{"x":1,"y":2}}"#.utf8))
        #expect(a.root.sameValue(as: b.root))
        #expect(!a.root.sameValue(as: c.root))
        #expect(!a.root.sameText(as: b.root), "different text is not the same text")
    }
}
