/// A line diff of two texts: patience diff (unique lines as anchors), with Myers' algorithm for
/// small stretches that have no unique lines. Near-linear on large inputs, exact on small ones.
public enum LineDiff {
    /// Regions without unique anchors larger than this are shown as one replaced block instead of
    /// running Myers' quadratic worst case.
    static let myersLimit = 4_000

    /// The pairs (line in `a`, line in `b`) of equal lines that the diff keeps, in increasing order.
    public static func matches(_ a: [String], _ b: [String]) -> [(Int, Int)] {
        var ids: [String: Int] = [:]
        ids.reserveCapacity(a.count)
        let left = a.map { line -> Int in
            if let id = ids[line] { return id }
            let id = ids.count
            ids[line] = id
            return id
        }
        // Lines of `b` not in `a` get ids that match nothing.
        var unmatched = -1
        let right = b.map { line -> Int in
            if let id = ids[line] { return id }
            unmatched -= 1
            return unmatched
        }
        var result: [(Int, Int)] = []
        result.reserveCapacity(min(a.count, b.count))
        patience(left, 0..<left.count, right, 0..<right.count, into: &result)
        return result
    }

    private static func patience(_ a: [Int], _ aRange: Range<Int>, _ b: [Int], _ bRange: Range<Int>, into result: inout [(Int, Int)]) {
        var aLow = aRange.lowerBound, aHigh = aRange.upperBound
        var bLow = bRange.lowerBound, bHigh = bRange.upperBound
        while aLow < aHigh, bLow < bHigh, a[aLow] == b[bLow] {
            result.append((aLow, bLow))
            aLow += 1
            bLow += 1
        }
        var suffix: [(Int, Int)] = []
        while aLow < aHigh, bLow < bHigh, a[aHigh - 1] == b[bHigh - 1] {
            aHigh -= 1
            bHigh -= 1
            suffix.append((aHigh, bHigh))
        }
        defer { result.append(contentsOf: suffix.reversed()) }
        guard aLow < aHigh, bLow < bHigh else { return }

        let anchors = uniqueAnchors(a, aLow..<aHigh, b, bLow..<bHigh)
        if anchors.isEmpty {
            if (aHigh - aLow) + (bHigh - bLow) <= myersLimit {
                myers(a, aLow..<aHigh, b, bLow..<bHigh, into: &result)
            }
            return
        }
        var previousA = aLow, previousB = bLow
        for (anchorA, anchorB) in anchors {
            patience(a, previousA..<anchorA, b, previousB..<anchorB, into: &result)
            result.append((anchorA, anchorB))
            previousA = anchorA + 1
            previousB = anchorB + 1
        }
        patience(a, previousA..<aHigh, b, previousB..<bHigh, into: &result)
    }

    /// Lines that occur exactly once in each range, kept in an order increasing on both sides
    /// (the longest such chain, by patience sorting).
    private static func uniqueAnchors(_ a: [Int], _ aRange: Range<Int>, _ b: [Int], _ bRange: Range<Int>) -> [(Int, Int)] {
        var countsA: [Int: (count: Int, index: Int)] = [:]
        for index in aRange { countsA[a[index], default: (0, index)].count += 1 }
        var countsB: [Int: (count: Int, index: Int)] = [:]
        for index in bRange where countsA[b[index]]?.count == 1 { countsB[b[index], default: (0, index)].count += 1 }
        var pairs: [(Int, Int)] = []
        for index in aRange {
            if let entry = countsB[a[index]], entry.count == 1 { pairs.append((index, entry.index)) }
        }
        guard !pairs.isEmpty else { return [] }
        // Longest increasing subsequence of the b indexes (pairs are in a order).
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

    /// Myers' O((N+M)·D) shortest edit script, for small ranges.
    private static func myers(_ a: [Int], _ aRange: Range<Int>, _ b: [Int], _ bRange: Range<Int>, into result: inout [(Int, Int)]) {
        let n = aRange.count, m = bRange.count
        let offset = n + m
        var frontier = [Int](repeating: 0, count: 2 * offset + 2)
        var trace: [[Int]] = []
        search: for depth in 0...(n + m) {
            trace.append(frontier)
            for k in stride(from: -depth, through: depth, by: 2) {
                var x = (k == -depth || (k != depth && frontier[offset + k - 1] < frontier[offset + k + 1]))
                    ? frontier[offset + k + 1] : frontier[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, a[aRange.lowerBound + x] == b[bRange.lowerBound + y] { x += 1; y += 1 }
                frontier[offset + k] = x
                if x >= n && y >= m { break search }
            }
        }
        // Walk back through the saved frontiers, collecting the diagonal (equal) steps.
        var x = n, y = m
        var found: [(Int, Int)] = []
        for depth in stride(from: trace.count - 1, through: 1, by: -1) {
            let previous = trace[depth]
            let k = x - y
            let previousK = (k == -depth || (k != depth && previous[offset + k - 1] < previous[offset + k + 1])) ? k + 1 : k - 1
            let previousX = previous[offset + previousK]
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

/// One row of a side-by-side view.
public struct DiffRow: Equatable, Sendable {
    public enum Kind: String, Sendable { case equal, changed, removed, added }
    public var kind: Kind
    /// Line index on the left (`a`), or nil for an added line.
    public var left: Int?
    /// Line index on the right (`b`), or nil for a removed line.
    public var right: Int?
}

/// Two texts lined up: equal lines side by side, changed lines paired, the rest one-sided.
public struct SideBySide: Sendable {
    public let left: [String]
    public let right: [String]
    public let rows: [DiffRow]

    public init(left: [String], right: [String]) {
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
