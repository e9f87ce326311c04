@testable import ManifestDiff
import Testing

@Suite struct LineDiffTests {
    @Test func alignsInsertionsDeletionsAndChanges() {
        let view = SideBySide(left: ["a", "b", "c", "d", "e"], right: ["a", "c", "x", "e", "f"])
        #expect(view.rows.map(\.kind) == [.equal, .removed, .equal, .changed, .equal, .added])
        #expect(view.rows[3].left == 3 && view.rows[3].right == 2)
        #expect(view.changeStarts == [1, 3, 5])
    }

    @Test func reorderedBlocksKeepTheirCommonLines() {
        let left = ["{", "  \"a\": 1,", "  \"b\": 2,", "  \"c\": 3", "}"]
        let right = ["{", "  \"c\": 3", "  \"a\": 1,", "  \"b\": 2,", "}"]
        let view = SideBySide(left: left, right: right)
        #expect(view.rows.filter { $0.kind == .equal }.count == 4)
        #expect(view.rows.first?.kind == .equal && view.rows.last?.kind == .equal)
    }

    @Test func identicalAndEmptyInputs() {
        #expect(SideBySide(left: ["x", "y"], right: ["x", "y"]).rows.allSatisfy { $0.kind == .equal })
        #expect(SideBySide(left: [], right: ["x"]).rows.map(\.kind) == [.added])
        #expect(SideBySide(left: ["x"], right: []).rows.map(\.kind) == [.removed])
    }

    @Test func repeatedLinesWithoutAnchorsStillAlign() {
        let left = Array(repeating: "}", count: 30) + ["x"]
        let right = ["y"] + Array(repeating: "}", count: 30)
        let view = SideBySide(left: left, right: right)
        #expect(view.rows.filter { $0.kind == .equal }.count == 30)
    }
}
