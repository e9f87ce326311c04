import Foundation

/// One line of output gathered with plain stores into a buffer of its own, then handed on in one
/// piece: a view of a hundred thousand rows costs one append to the output a row, not one a
/// piece. Grows when a line is longer than it has room for.
struct LineBuilder: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// How many bytes the line has so far.
    private(set) var count = 0

    init(capacity: Int = 1024) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The line so far.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        makeRoom(bytes.count)
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func append(_ byte: UInt8) {
        makeRoom(1)
        base[count] = byte
        count += 1
    }

    mutating func append(repeating byte: UInt8, count repeats: Int) {
        guard repeats > 0 else { return }
        makeRoom(repeats)
        (base + count).initialize(repeating: byte, count: repeats)
        count += repeats
    }

    /// Hands the line to `body` and empties it.
    mutating func flush(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        body(bytes)
        count = 0
    }

    @inline(__always)
    private mutating func makeRoom(_ extra: Int) {
        if extra > capacity - count { grow(by: extra) }
    }

    private mutating func grow(by extra: Int) {
        let (needed, overflow) = count.addingReportingOverflow(extra)
        precondition(!overflow, "a line longer than memory")
        var grown = capacity
        while grown < needed { grown = grown > Int.max / 2 ? needed : grown * 2 }
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
        capacity = grown
    }
}
