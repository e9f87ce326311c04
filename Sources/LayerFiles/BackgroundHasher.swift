import Foundation
import OCI

/// Hashes regular files' bytes on a thread of its own while the layer decompresses on the
/// reading thread: comparing two images hashes every file, and on a gzip layer the hashing would
/// otherwise wait behind the decompression. At most `depth` chunks wait, so memory stays flat.
final class BackgroundHasher: @unchecked Sendable {
    private enum Item {
        /// The bytes that follow are those of entry `Int`.
        case begin(Int)
        case bytes([UInt8])
        case end
    }

    /// Chunks waiting to be hashed, at most.
    static let depth = 16

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [Item] = []
    private var closed = false
    private var done = false
    private var digests: [Int: Digest] = [:]

    init() {
        let thread = Thread { [self] in work() }
        thread.name = "regtui layer hashing"
        thread.start()
    }

    /// The bytes added next belong to entry `index`, until `end`.
    func begin(_ index: Int) { enqueue(.begin(index)) }
    func add(_ chunk: UnsafeRawBufferPointer) { enqueue(.bytes(Array(chunk))) }
    func end() { enqueue(.end) }

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
        while queue.count >= Self.depth && !closed { condition.wait() }
        queue.append(item)
        condition.broadcast()
        condition.unlock()
    }

    private func work() {
        var hasher = DigestHasher()
        var current: Int?
        while true {
            condition.lock()
            while queue.isEmpty && !closed { condition.wait() }
            if queue.isEmpty {
                done = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let item = queue.removeFirst()
            condition.broadcast()
            condition.unlock()
            switch item {
            case .begin(let index):
                current = index
                hasher = DigestHasher()
            case .bytes(let bytes):
                hasher.update(bytes)
            case .end:
                let digest = hasher.finish()
                if let current {
                    condition.lock()
                    digests[current] = digest
                    condition.unlock()
                }
                current = nil
                hasher = DigestHasher()
            }
        }
    }
}
