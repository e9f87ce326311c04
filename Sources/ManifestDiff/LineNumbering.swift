import Foundation
import OCI

/// Equal lines of two texts numbered alike, so a diff compares numbers instead of bytes: the
/// lines of `a` get numbers from 0 (`distinct` of them), a line of `b` the number of the equal
/// line of `a`, or -1 when `a` has none (it matches nothing).
///
/// Lines are found in an open-addressing table by their hash (Swift's `Hasher`: seeded per
/// process, so a registry cannot choose lines that all collide) and compared byte for byte.
struct LineNumbering {
    let left: [Int]
    let right: [Int]
    let distinct: Int

    init(_ a: TextLines, _ b: TextLines) {
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
        /// A number per slot, -1 where empty. Twice as many slots as lines, at least.
        private var slots: [Int32]
        private let mask: Int
        /// Per number: its line's hash, and the first line of `lines` that has it.
        private var hashes: [Int] = []
        private var firstLine: [Int] = []

        init(lines: TextLines.LineBuffers) {
            self.lines = lines
            var size = 16
            while size < lines.count * 2 { size *= 2 }
            slots = Array(repeating: -1, count: size)
            mask = size - 1
        }

        var count: Int { hashes.count }

        /// The number of `bytes` (line `line` of its text); a new one when `adding` and no
        /// equal line has one, else -1.
        mutating func number(of bytes: UnsafeBufferPointer<UInt8>, line: Int, adding: Bool) -> Int {
            var hasher = Hasher()
            hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
            let hash = hasher.finalize()
            var slot = hash & mask
            while slots[slot] >= 0 {
                let number = Int(slots[slot])
                if hashes[number] == hash, Self.equal(lines[firstLine[number]], bytes) { return number }
                slot = (slot + 1) & mask
            }
            guard adding else { return -1 }
            slots[slot] = Int32(hashes.count)
            hashes.append(hash)
            firstLine.append(line)
            return hashes.count - 1
        }

        private static func equal(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
            x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
        }
    }
}
