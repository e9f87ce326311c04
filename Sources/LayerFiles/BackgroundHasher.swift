import Foundation
import OCI

/// Hashes regular files' bytes on a thread of its own while the layer decompresses on the
/// reading thread: comparing two images hashes every file, and on a gzip layer the hashing would
/// otherwise wait behind the decompression.
///
/// The reader decompresses straight into one of `buffers` buffers (`takeBuffer`) and hands it
/// over whole (`add`); the hasher gives it back once hashed, so no byte is copied between them
/// and memory stays flat. They hand over work in batches: the hasher is woken once `batch`
/// bytes wait (or the reader needs a buffer, or the layer ends) and takes everything waiting.
/// Waking it for each piece cost two thread switches per file, more than the hashing of a
/// small file.
final class BackgroundHasher: @unchecked Sendable {
    private enum Item {
        /// The bytes that follow are those of entry `Int`.
        case begin(Int)
        /// A buffer and how many of its bytes to hash.
        case bytes([UInt8], Int)
        case end
    }

    /// Buffers, and the size of each: what a piece of a file is read into.
    static let buffers = 8
    static let bufferSize = 128 << 10
    /// Bytes waiting before the hasher is woken.
    static let batch = 256 << 10
    /// Markers (`begin`, `end`) waiting at most, for layers of many empty files.
    static let markers = 512

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [Item] = []
    private var free: [[UInt8]]
    private var waitingBytes = 0
    private var waitingMarkers = 0
    private var hasherAsleep = false
    private var readerAsleep = false
    private var closed = false
    private var done = false
    private var digests: [Int: Digest] = [:]

    init() {
        free = (0..<Self.buffers).map { _ in [UInt8](repeating: 0, count: Self.bufferSize) }
        let thread = Thread { [self] in work() }
        thread.name = "regtui layer hashing"
        thread.start()
    }

    /// The bytes added next belong to entry `index`, until `end`.
    func begin(_ index: Int) { enqueue(.begin(index)) }
    func end() { enqueue(.end) }

    /// A buffer to read the next piece into, waiting while all are taken.
    func takeBuffer() -> [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty && !closed {
            readerAsleep = true
            if hasherAsleep { condition.broadcast() }
            condition.wait()
        }
        readerAsleep = false
        return free.popLast() ?? [UInt8](repeating: 0, count: Self.bufferSize)
    }

    /// Hands over `count` bytes of `buffer`, from `takeBuffer`, to be hashed.
    func add(_ buffer: [UInt8], count: Int) { enqueue(.bytes(buffer, count)) }

    /// Gives back a buffer from `takeBuffer` that was not used.
    func giveBack(_ buffer: [UInt8]) {
        condition.lock()
        free.append(buffer)
        condition.unlock()
    }

    /// Waits until everything added is hashed; the digests by entry index.
    func finish() -> [Int: Digest] {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while !done { condition.wait() }
        return digests
    }

    /// Stops hashing what is left (the layer failed).
    func abandon() {
        condition.lock()
        queue.removeAll()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func enqueue(_ item: Item) {
        condition.lock()
        if case .bytes(_, let count) = item {
            waitingBytes += count
        } else {
            while waitingMarkers >= Self.markers && !closed {
                readerAsleep = true
                if hasherAsleep { condition.broadcast() }
                condition.wait()
            }
            readerAsleep = false
            waitingMarkers += 1
        }
        queue.append(item)
        if hasherAsleep && (waitingBytes >= Self.batch || waitingMarkers >= Self.markers / 2) { condition.broadcast() }
        condition.unlock()
    }

    private func work() {
        var hasher = DigestHasher()
        var current: Int?
        var items: [Item] = []
        var finished: [(Int, Digest)] = []
        var hashed: [[UInt8]] = []
        while true {
            condition.lock()
            for (index, digest) in finished { digests[index] = digest }
            finished.removeAll(keepingCapacity: true)
            free += hashed
            hashed.removeAll(keepingCapacity: true)
            if readerAsleep { condition.broadcast() }
            while queue.isEmpty && !closed {
                hasherAsleep = true
                condition.wait()
            }
            hasherAsleep = false
            if queue.isEmpty {
                done = true
                condition.broadcast()
                condition.unlock()
                return
            }
            swap(&items, &queue)
            (waitingBytes, waitingMarkers) = (0, 0)
            condition.unlock()
            for item in items {
                switch item {
                case .begin(let index):
                    current = index
                    hasher = DigestHasher()
                case .bytes(let buffer, let count):
                    buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                    hashed.append(buffer)
                case .end:
                    let digest = hasher.finish()
                    if let current { finished.append((current, digest)) }
                    current = nil
                    hasher = DigestHasher()
                }
            }
            items.removeAll(keepingCapacity: true)
        }
    }
}
