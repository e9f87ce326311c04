@testable import ManifestDiff
import OCI
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
        let view = SideBySide(left: TextLines(left), right: TextLines(right))
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
        let view = SideBySide(left: TextLines(left), right: TextLines(right))
        #expect(view.rows.filter { $0.kind == .equal }.count == 30)
    }

    @Test func withoutUniqueLinesTheDiffKeepsALongestCommonSubsequence() {
        // Every line occurs at least twice on each side, so no anchors: Myers' algorithm alone,
        // whose answer must be a longest common subsequence. Checked against the textbook table.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let left = (0..<Int.random(in: 2...40, using: &generator)).map { _ in ["{", "}", "x"].randomElement(using: &generator)! }
            let right = (0..<Int.random(in: 2...40, using: &generator)).map { _ in ["{", "}", "x"].randomElement(using: &generator)! }
            let doubled = (left + left, right + right)
            let matches = LineDiff.matches(TextLines(doubled.0), TextLines(doubled.1))
            #expect(zip(matches, matches.dropFirst()).allSatisfy { $0.0 < $1.0 && $0.1 < $1.1 }, "matches increase on both sides")
            #expect(matches.allSatisfy { doubled.0[$0.0] == doubled.1[$0.1] }, "matched lines are equal")
            #expect(matches.count == Self.longestCommonSubsequence(doubled.0, doubled.1), "\(doubled)")
        }
    }

    /// A stretch without unique lines larger than Myers' limit is one replaced block: its
    /// memory grows with the square of the stretch, so a hostile pair cannot make it large.
    @Test func anAnchorlessStretchPastTheLimitIsOneReplacedBlock() {
        let pairs = LineDiff.myersLimit / 4 + 1
        let left = TextLines(Array(repeating: ["a", "b"], count: pairs).flatMap { $0 })
        let right = TextLines(Array(repeating: ["b", "a"], count: pairs).flatMap { $0 })
        #expect(LineDiff.matches(left, right).isEmpty)
        #expect(SideBySide(left: left, right: right).rows.allSatisfy { $0.kind == .changed })
        let withinLimit = LineDiff.myersLimit / 4 - 1
        let small = LineDiff.matches(TextLines(Array(repeating: ["a", "b"], count: withinLimit).flatMap { $0 }),
                                     TextLines(Array(repeating: ["b", "a"], count: withinLimit).flatMap { $0 }))
        #expect(small.count == 2 * withinLimit - 1, "within the limit Myers still finds the common lines")
    }

    /// Lines that become unique one at a time, each once its twin is left behind: patience diff
    /// would split the texts as many times as they have lines, visiting all the rest each time
    /// (time quadratic in the length, and as deep). The search stays within its budget, with no
    /// recursion, and what it keeps are still equal lines in order; a manifest-like pair of the
    /// same length needs a small part of the budget.
    @Test func linesUniqueOneAtATimeStayWithinTheVisitBudget() {
        let count = 20_000
        let left = (1...count).flatMap { ["u\($0 + 1)", "u\($0)"] }
        let right = (1...count).flatMap { ["f\($0)", "u\($0)"] }
        let search = LineDiff.search(TextLines(left), TextLines(right))
        #expect(search.visits <= search.visitBudget)
        let matches = search.result
        #expect(zip(matches, matches.dropFirst()).allSatisfy { $0.0 < $1.0 && $0.1 < $1.1 }, "matches increase on both sides")
        #expect(matches.allSatisfy { left[$0.0] == right[$0.1] }, "matched lines are equal")
        #expect(matches.first.map { $0 == (1, 1) } == true && matches.contains { $0 == (3, 3) }, "the first unique lines are kept")

        let manifest = { (salt: String) in (0..<count / 2).flatMap { ["{", "\"digest\": \"\(salt)\($0)\"", "\"size\": \($0)", "}"] } }
        let ordinary = LineDiff.search(TextLines(manifest("a")), TextLines(manifest("b")))
        #expect(ordinary.visits < ordinary.visitBudget / 8)
    }

    @Test func pairsOfSingleDifferingLinesBetweenAnchorsStayChanged() {
        let left = (0..<1_000).flatMap { ["{", "\"digest\": \"a\($0)\"", "\"size\": \($0)", "}"] }
        let right = (0..<1_000).flatMap { ["{", "\"digest\": \"b\($0)\"", "\"size\": \($0)", "}"] }
        let view = SideBySide(left: TextLines(left), right: TextLines(right))
        #expect(view.rows.count == 4_000)
        #expect(view.rows.filter { $0.kind == .changed }.map(\.left) == (0..<1_000).map { $0 * 4 + 1 })
    }

    /// Lines are numbered through a fast hash keyed at random. Someone who knew the keys could
    /// make every line collide (here all three-byte lines do, under these keys): the probes then
    /// pass their budget and the numbering is made again with SipHash, with the same numbers.
    @Test func collidingLinesFallBackToSipHashWithTheSameNumbers() {
        let leftLines = (0..<5_000).map { String(format: "%03x", $0 % 4_000) }
        let rightLines = (0..<5_000).map { String(format: "%03x", ($0 * 7) % 4_096) }
        let (left, right) = (TextLines(leftLines), TextLines(rightLines))
        let colliding = LineNumbering(left, right, fast: FastLineHash(seed: 3, key: 0))
        let ordinary = LineNumbering(left, right)
        #expect(colliding.fellBack && !ordinary.fellBack)
        #expect(colliding.left == ordinary.left && colliding.right == ordinary.right && colliding.distinct == 4_000)
        let firstWithNumber = Dictionary(ordinary.left.enumerated().map { ($1, $0) }, uniquingKeysWith: min)
        #expect(zip(rightLines, ordinary.right).allSatisfy { line, number in
            number == -1 ? !leftLines.contains(line) : leftLines[firstWithNumber[number]!] == line
        })
    }

    static func longestCommonSubsequence(_ a: [String], _ b: [String]) -> Int {
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in a.indices.reversed() {
            for j in b.indices.reversed() {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        return table[0][0]
    }
}
