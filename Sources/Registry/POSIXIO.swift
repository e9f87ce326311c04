import Foundation

/// Reading and writing file descriptors with POSIX calls: interrupted calls are retried, and a
/// reader that has gone away is an error to handle, not a crash (Foundation's FileHandle traps
/// on both).
public enum POSIXIO {
    /// Everything `descriptor` yields until end of file.
    public static func readToEnd(_ descriptor: Int32) -> Data {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { data.append(contentsOf: chunk[0..<count]); continue }
            if count < 0 && errno == EINTR { continue }
            return data
        }
    }

    /// Why a bounded read stopped early.
    public enum BoundedReadError: Error { case tooLarge, timedOut }

    /// Everything `descriptor` yields until end of file, if that is at most `limit` bytes and
    /// comes before `deadline`.
    public static func readBounded(_ descriptor: Int32, atMost limit: Int, until deadline: Date) throws(BoundedReadError) -> Data {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let wait = deadline.timeIntervalSinceNow
            guard wait > 0 else { throw .timedOut }
            var fds = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 1, Int32(min(wait * 1000 + 1, 3_600_000)))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { throw .timedOut }
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return data }
            guard data.count + count <= limit else { throw .tooLarge }
            data.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes all of `data`; false when the descriptor cannot take it (e.g. EPIPE).
    @discardableResult
    public static func writeAll(_ data: Data, to descriptor: Int32) -> Bool {
        data.withUnsafeBytes { writeAll($0, to: descriptor) }
    }

    /// Writes all of `raw`; false when the descriptor cannot take it (e.g. EPIPE).
    @discardableResult
    public static func writeAll(_ raw: UnsafeRawBufferPointer, to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < raw.count {
            let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            if written > 0 { offset += written; continue }
            if written < 0 && errno == EINTR { continue }
            return false
        }
        return true
    }
}
