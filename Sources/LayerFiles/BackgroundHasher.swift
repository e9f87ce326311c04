import Foundation
import OCI

/// Hashes regular files' bytes on a thread of its own while the layer decompresses on the
/// reading thread: comparing two images hashes every file, and on a gzip layer the hashing would
/// otherwise wait behind the decompression. At most `limit` bytes wait, so memory stays flat.
///
/// The two threads hand over work in batches: the hasher is woken once `batch` bytes are
/// waiting (or the layer ends), and takes everything waiting at once. Waking it for each piece
/// cost two thread switches per file, which on layers of small files was more than the hashing.
final class BackgroundHasher: @unchecked Sendable {
    private enum Item {
        /// The bytes that follow are those of entry `Int`.
        case begin(Int)
        case bytes([UInt8])
        case end
    }

    /// Bytes waiting to be hashed, at most (a marker counts as `markerWeight`).
    static let limit = 2 << 20
    /// Bytes waiting before the hasher is woken.
    static let batch = 512 << 10
    private static let markerWeight = 4096

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [Item] = []
    private var waiting = 0
    private var hasherAsleep = false
    private var readerAsleep = false
    private var closed = false
    private var done = false
    private var digests: [Int: Digest] = [:]

    init() {
        let thread = Thread { [self] in work() }
        thread.name = "regtui layer hashing"
        thread.start()
    }

    /// The bytes added next belong to entry `index`, until `end`.
    func begin(_ index: Int) { enqueue(.begin(index), weight: Self.markerWeight) }
    func add(_ chunk: UnsafeRawBufferPointer) { enqueue(.bytes(Array(chunk)), weight: max(chunk.count, Self.markerWeight)) }
    func end() { enqueue(.end, weight: Self.markerWeight) }

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

    private func enqueue(_ item: Item, weight: Int) {
        condition.lock()
        while waiting >= Self.limit && !closed {
            readerAsleep = true
            condition.wait()
        }
        readerAsleep = false
        queue.append(item)
        waiting += weight
        if hasherAsleep && waiting >= Self.batch { condition.broadcast() }
        condition.unlock()
    }

    private func work() {
        var hasher = DigestHasher()
        var current: Int?
        var items: [Item] = []
        var finished: [(Int, Digest)] = []
        while true {
            condition.lock()
            for (index, digest) in finished { digests[index] = digest }
            finished.removeAll(keepingCapacity: true)
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
            waiting = 0
            if readerAsleep { condition.broadcast() }
            condition.unlock()
            for item in items {
                switch item {
                case .begin(let index):
                    current = index
                    hasher = DigestHasher()
                case .bytes(let bytes):
                    hasher.update(bytes)
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
