import Foundation
import OCI
import Registry
import Synchronization

/// Streams one blob from a download into an upload with bounded memory. The download side writes
/// (as a `ByteSink`), the upload side reads (as a `ByteSource`); each blocks while the buffer is
/// full or empty. Every byte written is hashed and counted. The upload's body ends only after the
/// writer has checked the digest and size — or, on any failure, ends at once, cleanly, so the
/// registry is left with a consistent session that can be deleted (a body aborted mid-stream
/// leaves one that distribution refuses to delete).
public final class BytePipe: ByteSink, ByteSource, @unchecked Sendable {
    /// The blob being moved.
    public let expected: Descriptor
    private let capacity: Int
    private let condition = NSCondition()
    private var buffer: [UInt8]
    private var head = 0
    private var count = 0
    private var verified = false
    /// Whether a side is blocked, so the other wakes it only then (not on every chunk).
    private var readerWaiting = false
    private var writerWaiting = false
    private var failure: (any Error)?
    private var hasher: DigestHasher?
    private var receivedCount: Int64 = 0
    /// Bytes of a restarted download to drop because the upload already has them.
    private var skip: Int64 = 0
    private let onProgress: @Sendable (Int64) -> Void
    private var lastReported: Int64 = 0

    /// `onProgress` receives the bytes received so far, at most every 256 KiB.
    public init(expected: Descriptor, capacity: Int = 1 << 20, onProgress: @escaping @Sendable (Int64) -> Void) {
        self.expected = expected
        self.capacity = capacity
        self.buffer = [UInt8](repeating: 0, count: capacity)
        self.hasher = DigestHasher(algorithm: expected.digest.algorithm)
        self.onProgress = onProgress
    }

    /// Why the pipe failed, if it did: the writer checks it when the reader's stream ends.
    public var failed: (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    /// How many bytes of the blob have been received and hashed.
    public var received: Int64 {
        condition.lock()
        defer { condition.unlock() }
        return receivedCount
    }

    // MARK: Download side

    /// Called by one writer at a time. The bytes are hashed outside the lock, so the upload side
    /// keeps draining the buffer meanwhile.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var remaining = bytes
        condition.lock()
        if skip > 0 {
            let dropped = Int(min(skip, Int64(remaining.count)))
            skip -= Int64(dropped)
            remaining = UnsafeRawBufferPointer(rebasing: remaining[dropped...])
        }
        if let failure {
            condition.unlock()
            throw failure
        }
        guard receivedCount + Int64(remaining.count) <= expected.size else {
            let error = RegistryError.sizeMismatch(what: "blob \(expected.digest) from the source", expected: expected.size,
                                                   actual: receivedCount + Int64(remaining.count))
            failure = error
            condition.broadcast()
            condition.unlock()
            throw error
        }
        receivedCount += Int64(remaining.count)
        condition.unlock()
        // Only the writer touches the hasher (here, then in `finishDownload`).
        hasher?.update(remaining)
        condition.lock()
        defer { condition.unlock() }
        while !remaining.isEmpty {
            while count == capacity && failure == nil {
                writerWaiting = true
                condition.wait()
                writerWaiting = false
            }
            if let failure { throw failure }
            let tail = (head + count) % capacity
            let room = min(capacity - count, capacity - tail, remaining.count)
            buffer.withUnsafeMutableBytes { target in
                target.baseAddress!.advanced(by: tail).copyMemory(from: remaining.baseAddress!, byteCount: room)
            }
            count += room
            remaining = UnsafeRawBufferPointer(rebasing: remaining[room...])
            if readerWaiting { condition.broadcast() }
        }
        if receivedCount - lastReported >= 256 << 10 || receivedCount == expected.size {
            lastReported = receivedCount
            let progress = receivedCount
            condition.unlock()
            onProgress(progress)
            condition.lock()
        }
    }

    /// A download restarted from the beginning (a 200 instead of a 206): drop what the upload already has.
    public func restartDownload() {
        condition.lock()
        skip = receivedCount
        condition.unlock()
    }

    /// Called when the download ended: checks size and digest, then lets the upload's body end,
    /// or fails the pipe.
    public func finishDownload() throws(RegistryError) {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw RegistryError(bridging: failure) }
        let error: RegistryError?
        if receivedCount != expected.size {
            error = .sizeMismatch(what: "blob \(expected.digest) from the source", expected: expected.size, actual: receivedCount)
        } else if let actual = hasher.take()?.finish(), actual != expected.digest {
            error = .digestMismatch(what: "blob \(expected.digest) from the source", expected: expected.digest, actual: actual)
        } else {
            error = nil
        }
        if let error {
            failure = error
            condition.broadcast()
            throw error
        }
        verified = true
        condition.broadcast()
    }

    /// Stops both sides with `error`: further writes throw it, and the upload's body ends.
    public func fail(_ error: any Error) {
        condition.lock()
        failure = failure ?? error
        condition.broadcast()
        condition.unlock()
    }

    // MARK: Upload side

    public func read(into target: UnsafeMutableRawBufferPointer) throws -> Int {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if failure != nil { return 0 }
            if count > 0 {
                let length = min(count, target.count, capacity - head)
                buffer.withUnsafeBytes { source in
                    target.baseAddress!.copyMemory(from: source.baseAddress!.advanced(by: head), byteCount: length)
                }
                head = (head + length) % capacity
                count -= length
                if writerWaiting { condition.broadcast() }
                return length
            }
            if verified && count == 0 { return 0 }
            readerWaiting = true
            condition.wait()
            readerWaiting = false
        }
    }
}
