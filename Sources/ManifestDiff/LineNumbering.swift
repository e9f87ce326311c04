import Foundation
import OCI

/// Equal lines of two texts numbered alike, so a diff compares numbers instead of bytes: the
/// lines of `a` get numbers from 0 (`distinct` of them), a line of `b` the number of the equal
/// line of `a`, or -1 when `a` has none (it matches nothing).
///
/// Lines are found in an open-addressing table by their hash and compared byte for byte. The
/// hash is seeded at random per process, so a registry cannot know which lines collide: first a
/// fast one (`FastLineHash`); should the table's probes still pass `probesPerLine` a line on
/// average, it is built again with Swift's `Hasher` (SipHash), made for hostile keys. Either way
/// the work stays bounded.
struct LineNumbering {
    let left: [Int32]
    let right: [Int32]
    let distinct: Int
    /// Whether the fast hash was given up for SipHash.
    let fellBack: Bool

    /// Probes a line may take on average before the fast hash is given up.
    static let probesPerLine = 8

    init(_ a: TextLines, _ b: TextLines, fast: FastLineHash = FastLineHash()) {
        precondition(a.count < Int32.max && b.count < Int32.max, "texts of fewer than 2³¹ lines")
        let numbered = a.withLineBuffers { a in
            b.withLineBuffers { b in
                Self.number(a, b, hashing: .fast(fast), budget: Self.probesPerLine * (a.count + b.count) + 1024)
                    .map { ($0, false) } ?? (Self.number(a, b, hashing: .sip(Hasher()), budget: .max)!, true)
            }
        }
        ((left, right, distinct), fellBack) = numbered
    }

    /// The numbering with `hashing`, or nil when the probes pass `budget`.
    private static func number(_ a: TextLines.LineBuffers, _ b: TextLines.LineBuffers, hashing: Hashing,
                               budget: Int) -> (left: [Int32], right: [Int32], distinct: Int)? {
        var table = Table(lines: a, hashing: hashing, budget: budget)
        var left: [Int32] = []
        left.reserveCapacity(a.count)
        for line in 0..<a.count {
            guard let number = table.number(of: a[line], line: line, adding: true) else { return nil }
            left.append(number)
        }
        var right: [Int32] = []
        right.reserveCapacity(b.count)
        for line in 0..<b.count {
            guard let number = table.number(of: b[line], line: line, adding: false) else { return nil }
            right.append(number)
        }
        return (left, right, table.count)
    }

    /// How lines are hashed.
    private enum Hashing {
        case fast(FastLineHash)
        /// Swift's `Hasher`: this one, seeded once, copied for each line (cheaper than making one a line).
        case sip(Hasher)
    }

    private struct Table {
        let lines: TextLines.LineBuffers
        let hashing: Hashing
        /// Per slot: its number + 1 (0 where empty) in the low bits, as many as the numbers need,
        /// and in the others as many bits of its line's hash: a probe reads one place, four bytes
        /// (the table stays small enough to stay in cache). Twice as many slots as lines, at least.
        private var slots: [UInt32]
        private let mask: Int
        /// The bits of a slot that hold the number + 1.
        private let numberMask: UInt32
        /// Per number: the first line of `lines` that has it.
        private var firstLine: [Int32] = []
        /// Probes left before the numbering gives up.
        private var budget: Int

        init(lines: TextLines.LineBuffers, hashing: Hashing, budget: Int) {
            self.lines = lines
            self.hashing = hashing
            self.budget = budget
            var size = 16
            while size < lines.count * 2 { size *= 2 }
            slots = Array(repeating: 0, count: size)
            mask = size - 1
            let width = UInt32(truncatingIfNeeded: (lines.count + 1).bitWidth - (lines.count + 1).leadingZeroBitCount)
            numberMask = width >= 32 ? .max : (1 << width) - 1
        }

        var count: Int { firstLine.count }

        /// The number of `bytes` (line `line` of its text); a new one when `adding` and no
        /// equal line has one, else -1. Nil once the probes are over budget.
        mutating func number(of bytes: UnsafeBufferPointer<UInt8>, line: Int, adding: Bool) -> Int32? {
            let hash: UInt64
            switch hashing {
            case .fast(let fast):
                hash = fast.hash(bytes)
            case .sip(let seeded):
                var hasher = seeded
                hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
                hash = UInt64(bitPattern: Int64(hasher.finalize()))
            }
            let tag = UInt32(truncatingIfNeeded: hash >> 32) & ~numberMask
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 {
                budget -= 1
                guard budget > 0 else { return nil }
                let entry = slots[slot]
                let number = Int32(bitPattern: entry & numberMask) &- 1
                if entry & ~numberMask == tag, Self.equal(lines[Int(firstLine[Int(number)])], bytes) { return number }
                slot = (slot + 1) & mask
            }
            guard adding else { return -1 }
            let number = Int32(firstLine.count)
            slots[slot] = tag | UInt32(number + 1)
            firstLine.append(Int32(line))
            return number
        }

        private static func equal(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
            x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
        }
    }
}

/// A fast hash of a line's bytes, keyed with two random words per process: 16 bytes at a time
/// folded by a 128-bit multiply (as wyhash does). Not made to withstand someone who knows the
/// keys; nobody outside the process does, and `LineNumbering` bounds the work either way.
struct FastLineHash {
    private let seed: UInt64
    private let key: UInt64

    init() {
        var random = SystemRandomNumberGenerator()
        self.init(seed: random.next(), key: random.next())
    }

    /// Keyed as given: for tests, which need keys they know.
    init(seed: UInt64, key: UInt64) {
        self.seed = seed
        self.key = key
    }

    @inline(__always)
    private static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        return high ^ low
    }

    @inline(__always)
    func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return Self.fold(seed, key) }
        let raw = UnsafeRawPointer(base)
        func word(_ at: Int) -> UInt64 { raw.loadUnaligned(fromByteOffset: at, as: UInt64.self) }
        var state = seed ^ UInt64(truncatingIfNeeded: count)
        var at = 0
        while count - at > 16 {
            state = Self.fold(word(at) ^ key, word(at + 8) ^ state)
            at += 16
        }
        // The last 1 to 16 bytes, read as two words that may overlap what came before.
        var (first, second): (UInt64, UInt64)
        if count >= 16 {
            (first, second) = (word(count - 16), word(count - 8))
        } else if count >= 8 {
            (first, second) = (word(0), word(count - 8))
        } else {
            (first, second) = (0, 0)
            for index in 0..<count { first = first << 8 | UInt64(base[index]) }
        }
        return Self.fold(key ^ UInt64(truncatingIfNeeded: count), Self.fold(first ^ key, second ^ state))
    }
}
