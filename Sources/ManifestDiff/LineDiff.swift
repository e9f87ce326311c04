import OCI

/// A line diff of two texts: patience diff (unique lines as anchors), with Myers' algorithm for
/// small stretches that have no unique lines. Near-linear on large inputs, exact on small ones.
/// Lines are compared as numbers (equal lines get equal numbers first), and the counting that
/// finds unique lines reuses one table for the whole diff: a 4 MiB manifest against another
/// makes tens of thousands of small stretches.
public enum LineDiff {
    /// Regions without unique anchors larger than this are shown as one replaced block instead of
    /// running Myers' quadratic worst case (whose memory is the square of the edit distance).
    static let myersLimit = 2_000

    /// How many lines the searches for unique lines may visit in all, per line of the two texts.
    /// Patience diff revisits a stretch at every level it splits, so two texts whose unique lines
    /// show only one at a time (two manifests a hostile registry wrote so) would take time and
    /// depth quadratic in their length; past this, the stretches left are replaced blocks.
    static let visitsPerLine = 32

    /// The pairs (line in `a`, line in `b`) of equal lines that the diff keeps, in increasing order.
    public static func matches(_ a: TextLines, _ b: TextLines) -> [(Int, Int)] {
        search(a, b).result
    }

    /// The search that found the matches, with how much it visited.
    static func search(_ a: TextLines, _ b: TextLines) -> Search {
        let numbering = LineNumbering(a, b)
        var search = Search(a: numbering.left, b: numbering.right, distinct: numbering.distinct)
        search.result.reserveCapacity(min(a.count, b.count))
        search.patience(0..<a.count, 0..<b.count)
        return search
    }

    struct Search {
        let a: [Int32]
        let b: [Int32]
        var result: [(Int, Int)] = []
        /// Lines visited by the searches for unique lines, and how many they may visit.
        private(set) var visits = 0
        let visitBudget: Int
        /// Per line number: how often it occurs in the stretch of `a` and of `b` being searched,
        /// and where (the last place). Zero again after each search.
        private var countA: [Int32]
        private var countB: [Int32]
        private var placeA: [Int32]
        private var placeB: [Int32]

        init(a: [Int32], b: [Int32], distinct: Int) {
            self.a = a
            self.b = b
            let (lines, overflow) = (a.count + b.count).multipliedReportingOverflow(by: LineDiff.visitsPerLine)
            visitBudget = overflow ? .max : lines
            countA = Array(repeating: 0, count: distinct)
            countB = countA
            placeA = Array(repeating: 0, count: distinct)
            placeB = placeA
        }

        /// What is left to do, last first: a stretch to search, or equal lines to keep.
        private enum Step {
            case stretch(Range<Int>, Range<Int>)
            case equal(a: Int, b: Int, count: Int)
        }

        /// Appends the matches of the stretch to `result`, in order. A list of steps instead of
        /// recursion: the stretches can nest as deep as the texts are long.
        mutating func patience(_ aRange: Range<Int>, _ bRange: Range<Int>) {
            var steps: [Step] = [.stretch(aRange, bRange)]
            while let step = steps.popLast() {
                switch step {
                case .equal(let a, let b, let count):
                    for offset in 0..<count { result.append((a + offset, b + offset)) }
                case .stretch(let aRange, let bRange):
                    search(aRange, bRange, then: &steps)
                }
            }
        }

        /// Keeps the stretch's equal first lines, and leaves on `steps` what comes after them:
        /// between its anchors (unique lines), the anchors, and its equal last lines.
        private mutating func search(_ aRange: Range<Int>, _ bRange: Range<Int>, then steps: inout [Step]) {
            var aLow = aRange.lowerBound, aHigh = aRange.upperBound
            var bLow = bRange.lowerBound, bHigh = bRange.upperBound
            while aLow < aHigh, bLow < bHigh, a[aLow] == b[bLow] {
                result.append((aLow, bLow))
                aLow += 1
                bLow += 1
            }
            let suffixEnd = aHigh
            while aLow < aHigh, bLow < bHigh, a[aHigh - 1] == b[bHigh - 1] {
                aHigh -= 1
                bHigh -= 1
            }
            steps.append(.equal(a: aHigh, b: bHigh, count: suffixEnd - aHigh))
            guard aLow < aHigh, bLow < bHigh else { return }

            // One line against one: they differ (or the ends above would have matched them).
            if aHigh - aLow == 1 && bHigh - bLow == 1 { return }
            let cost = (aHigh - aLow) + (bHigh - bLow)
            guard visits <= visitBudget - cost else { return }
            visits += cost
            let anchors = uniqueAnchors(aLow..<aHigh, bLow..<bHigh)
            if anchors.isEmpty {
                if cost <= myersLimit {
                    LineDiff.myers(a, aLow..<aHigh, b, bLow..<bHigh, into: &result)
                }
                return
            }
            steps.reserveCapacity(steps.count + 2 * anchors.count + 1)
            steps.append(.stretch(anchors.last!.0 + 1..<aHigh, anchors.last!.1 + 1..<bHigh))
            for (position, anchor) in anchors.enumerated().reversed() {
                steps.append(.equal(a: anchor.0, b: anchor.1, count: 1))
                let previous = position == 0 ? (aLow, bLow) : (anchors[position - 1].0 + 1, anchors[position - 1].1 + 1)
                steps.append(.stretch(previous.0..<anchor.0, previous.1..<anchor.1))
            }
        }

        /// Lines that occur exactly once in each range, kept in an order increasing on both sides
        /// (the longest such chain, by patience sorting).
        private mutating func uniqueAnchors(_ aRange: Range<Int>, _ bRange: Range<Int>) -> [(Int, Int)] {
            for index in aRange {
                countA[Int(a[index])] &+= 1
                placeA[Int(a[index])] = Int32(index)
            }
            for index in bRange where b[index] >= 0 && countA[Int(b[index])] == 1 {
                countB[Int(b[index])] &+= 1
                placeB[Int(b[index])] = Int32(index)
            }
            var pairs: [(Int, Int)] = []
            for index in aRange where countA[Int(a[index])] == 1 && countB[Int(a[index])] == 1 {
                pairs.append((index, Int(placeB[Int(a[index])])))
            }
            for index in aRange { countA[Int(a[index])] = 0 }
            for index in bRange where b[index] >= 0 { countB[Int(b[index])] = 0 }
            return pairs.isEmpty ? [] : LineDiff.longestIncreasingChain(pairs)
        }
    }

    /// The longest chain of `pairs` (in increasing first order) whose second members increase too.
    static func longestIncreasingChain(_ pairs: [(Int, Int)]) -> [(Int, Int)] {
        var tails: [Int] = []
        var predecessor = [Int](repeating: -1, count: pairs.count)
        for (position, pair) in pairs.enumerated() {
            var low = 0, high = tails.count
            while low < high {
                let middle = (low + high) / 2
                if pairs[tails[middle]].1 < pair.1 { low = middle + 1 } else { high = middle }
            }
            if low > 0 { predecessor[position] = tails[low - 1] }
            if low == tails.count { tails.append(position) } else { tails[low] = position }
        }
        var chain: [(Int, Int)] = []
        var cursor = tails.last ?? -1
        while cursor >= 0 {
            chain.append(pairs[cursor])
            cursor = predecessor[cursor]
        }
        return chain.reversed()
    }

    /// Myers' O((N+M)·D) shortest edit script, for small ranges. Each round's frontier is kept
    /// (only the diagonals it reached) to walk back through.
    static func myers(_ a: [Int32], _ aRange: Range<Int>, _ b: [Int32], _ bRange: Range<Int>, into result: inout [(Int, Int)]) {
        let n = aRange.count, m = bRange.count
        let offset = n + m
        var frontier = [Int](repeating: 0, count: 2 * offset + 2)
        var trace: [Int32] = []
        var depths = 0
        search: for depth in 0...(n + m) {
            trace.append(contentsOf: frontier[(offset - depth)...(offset + depth)].lazy.map { Int32($0) })
            depths += 1
            for k in stride(from: -depth, through: depth, by: 2) {
                var x = (k == -depth || (k != depth && frontier[offset + k - 1] < frontier[offset + k + 1]))
                    ? frontier[offset + k + 1] : frontier[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, a[aRange.lowerBound + x] == b[bRange.lowerBound + y] { x += 1; y += 1 }
                frontier[offset + k] = x
                if x >= n && y >= m { break search }
            }
        }
        // Walk back through the saved frontiers, collecting the diagonal (equal) steps. Round
        // `depth`'s frontier starts at depth² in `trace` and covers diagonals -depth...depth.
        func saved(_ depth: Int, _ k: Int) -> Int { Int(trace[depth * depth + depth + k]) }
        var x = n, y = m
        var found: [(Int, Int)] = []
        for depth in stride(from: depths - 1, through: 1, by: -1) {
            let k = x - y
            // The frontier saved as round `depth` began; diagonals beyond it were never reached.
            func previous(_ diagonal: Int) -> Int { abs(diagonal) <= depth ? saved(depth, diagonal) : 0 }
            let previousK = (k == -depth || (k != depth && previous(k - 1) < previous(k + 1))) ? k + 1 : k - 1
            let previousX = previous(previousK)
            let previousY = previousX - previousK
            while x > previousX && y > previousY {
                x -= 1
                y -= 1
                found.append((aRange.lowerBound + x, bRange.lowerBound + y))
            }
            x = previousX
            y = previousY
        }
        while x > 0 && y > 0 {
            x -= 1
            y -= 1
            found.append((aRange.lowerBound + x, bRange.lowerBound + y))
        }
        result.append(contentsOf: found.reversed())
    }
}

/// One row of a side-by-side view: twelve bytes (a view can have hundreds of thousands).
public struct DiffRow: Equatable, Sendable {
    public enum Kind: UInt8, Sendable { case equal, changed, removed, added }
    public let kind: Kind
    private let leftLine: Int32
    private let rightLine: Int32

    /// Line index on the left (`a`), or nil for an added line.
    public var left: Int? { leftLine < 0 ? nil : Int(leftLine) }
    /// Line index on the right (`b`), or nil for a removed line.
    public var right: Int? { rightLine < 0 ? nil : Int(rightLine) }

    /// A row of line `left` and line `right` (lines of a text of at most `Int32.max` lines).
    init(kind: Kind, left: Int?, right: Int?) {
        self.kind = kind
        leftLine = left.map { Int32($0) } ?? -1
        rightLine = right.map { Int32($0) } ?? -1
    }
}

/// Two texts lined up: equal lines side by side, changed lines paired, the rest one-sided.
public struct SideBySide: Sendable {
    public let left: TextLines
    public let right: TextLines
    public let rows: [DiffRow]

    public init(left: TextLines, right: TextLines) {
        self.left = left
        self.right = right
        var rows: [DiffRow] = []
        rows.reserveCapacity(max(left.count, right.count))
        var nextA = 0, nextB = 0
        func gap(upTo endA: Int, _ endB: Int) {
            let removed = endA - nextA, added = endB - nextB
            for step in 0..<max(removed, added) {
                let l = step < removed ? nextA + step : nil
                let r = step < added ? nextB + step : nil
                rows.append(DiffRow(kind: l != nil && r != nil ? .changed : (l != nil ? .removed : .added), left: l, right: r))
            }
            nextA = endA
            nextB = endB
        }
        for (a, b) in LineDiff.matches(left, right) {
            gap(upTo: a, b)
            rows.append(DiffRow(kind: .equal, left: a, right: b))
            nextA = a + 1
            nextB = b + 1
        }
        gap(upTo: left.count, right.count)
        self.rows = rows
    }

    /// Indexes of rows that start a run of differences, for next/previous-change navigation.
    public var changeStarts: [Int] {
        rows.indices.filter { rows[$0].kind != .equal && ($0 == 0 || rows[$0 - 1].kind == .equal) }
    }
}
