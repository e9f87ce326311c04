/// Lines of text kept as one buffer of bytes and where each line ends: a pretty-printed 4 MiB
/// manifest is about 110,000 lines, and one allocation instead of one string per line is what
/// makes diffing and printing it fast. Lines are read as strings only where one is shown.
public struct TextLines: Sendable, Equatable, RandomAccessCollection, ExpressibleByArrayLiteral {
    /// Every line's bytes, one after another, without line breaks.
    @usableFromInline var bytes: [UInt8] = []
    /// Where each line ends in `bytes` (it starts where the one before ends).
    @usableFromInline var ends: [Int] = []

    public init() {}

    /// Lines from strings, as tests and small views make them.
    public init(arrayLiteral lines: String...) { self.init(lines) }

    /// Lines from strings.
    public init(_ lines: some Sequence<String>) {
        for line in lines { appendLine(line.utf8) }
    }

    /// Makes room for about `lines` lines of `bytes` bytes in all.
    public mutating func reserveCapacity(lines: Int, bytes count: Int) {
        ends.reserveCapacity(lines)
        bytes.reserveCapacity(count)
    }

    @inlinable
    public var startIndex: Int { 0 }
    @inlinable
    public var endIndex: Int { ends.count }

    /// Line `index` as text (bytes that are not UTF-8 replaced by U+FFFD).
    @inlinable
    public subscript(index: Int) -> String {
        precondition(indices.contains(index), "line \(index) of \(count)")
        return withLineBuffers { String(decoding: $0[index], as: UTF8.self) }
    }

    /// Runs `body` with the lines' memory, for reading many lines fast.
    @inlinable
    public func withLineBuffers<Result>(_ body: (LineBuffers) -> Result) -> Result {
        bytes.withUnsafeBufferPointer { bytes in ends.withUnsafeBufferPointer { ends in body(LineBuffers(bytes: bytes, ends: ends)) } }
    }

    /// The lines' memory, valid inside `withLineBuffers`.
    public struct LineBuffers {
        @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
        @usableFromInline let ends: UnsafeBufferPointer<Int>

        @inlinable
        init(bytes: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>) {
            self.bytes = bytes
            self.ends = ends
        }

        /// How many lines there are.
        @inlinable
        public var count: Int { ends.count }

        /// The bytes of line `index`, which must be below `count` (not checked: this is the fast path).
        @inlinable
        public subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[(index == 0 ? 0 : ends[index - 1])..<ends[index]])
        }
    }

    /// Adds bytes to the line being written.
    @inlinable
    public mutating func append(contentsOf piece: some Collection<UInt8>) { bytes.append(contentsOf: piece) }

    /// Adds one byte to the line being written.
    @inlinable
    public mutating func append(_ byte: UInt8) { bytes.append(byte) }

    /// Ends the line being written.
    @inlinable
    public mutating func endLine() { ends.append(bytes.count) }

    /// Adds a whole line.
    @inlinable
    public mutating func appendLine(_ line: some Collection<UInt8>) {
        bytes.append(contentsOf: line)
        endLine()
    }

    public static func == (lhs: TextLines, rhs: TextLines) -> Bool { lhs.ends == rhs.ends && lhs.bytes == rhs.bytes }
}
