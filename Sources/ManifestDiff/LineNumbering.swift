import Foundation
import OCI

/// Equal lines of two texts numbered alike, so a diff compares numbers instead of bytes: the
/// lines of `a` get numbers from 0 (`distinct` of them), a line of `b` the number of the equal
/// line of `a`, or -1 when `a` has none (it matches nothing).
///
/// Lines are found in an open-addressing table by their hash (Swift's `Hasher`: seeded per
/// process, so a registry cannot choose lines that all collide) and compared byte for byte.
struct LineNumbering {
    let left: [Int32]
    let right: [Int32]
    let distinct: Int

    init(_ a: TextLines, _ b: TextLines) {
        precondition(a.count < Int32.max && b.count < Int32.max, "texts of fewer than 2³¹ lines")
        (left, right, distinct) = a.withLineBuffers { a in
            b.withLineBuffers { b in
                var table = Table(lines: a)
                let left = (0..<a.count).map { table.number(of: a[$0], line: $0, adding: true) }
                let right = (0..<b.count).map { table.number(of: b[$0], line: $0, adding: false) }
                return (left, right, table.count)
            }
        }
    }

    private struct Table {
        let lines: TextLines.LineBuffers
        /// Per slot: the high 32 bits of its line's hash, and its number + 1 (0 where empty), in
        /// one word, so a probe reads one place. Twice as many slots as lines, at least.
        private var slots: [UInt64]
        private let mask: Int
        /// Per number: the first line of `lines` that has it.
        private var firstLine: [Int32] = []
        /// A hasher as it starts, copied for each line (cheaper than making one each time).
        private let seeded = Hasher()

        init(lines: TextLines.LineBuffers) {
            self.lines = lines
            var size = 16
            while size < lines.count * 2 { size *= 2 }
            slots = Array(repeating: 0, count: size)
            mask = size - 1
        }

        var count: Int { firstLine.count }

        /// The number of `bytes` (line `line` of its text); a new one when `adding` and no
        /// equal line has one, else -1.
        mutating func number(of bytes: UnsafeBufferPointer<UInt8>, line: Int, adding: Bool) -> Int32 {
            var hasher = seeded
            hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
            let hash = UInt64(bitPattern: Int64(hasher.finalize()))
            let tag = hash & 0xffff_ffff_0000_0000
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 {
                let entry = slots[slot]
                let number = Int32(truncatingIfNeeded: entry) &- 1
                if entry & 0xffff_ffff_0000_0000 == tag, Self.equal(lines[Int(firstLine[Int(number)])], bytes) { return number }
                slot = (slot + 1) & mask
            }
            guard adding else { return -1 }
            let number = Int32(firstLine.count)
            slots[slot] = tag | UInt64(UInt32(number + 1))
            firstLine.append(Int32(line))
            return number
        }

        private static func equal(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
            x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
        }
    }
}
