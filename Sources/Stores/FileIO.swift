import Foundation
import OCI
import Registry

/// File operations for stores on disk, with regtui's errors: bounded reads, writes that become
/// visible only whole (a temporary name, then a rename), a lock on a directory, and blobs
/// streamed between files and pipes on threads of their own (the task pool is never blocked).
public enum FileIO {
    /// The size of the file at `path`, or nil when there is none.
    static func size(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The whole file, refused when larger than `limit`, or when it grows while it is read (it is
    /// never read past the size it had, so never past the limit).
    public static func read(_ path: String, limit: Int, what: String) throws(RegistryError) -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .notFound(what: what, details: []) }
            throw .file(what: what, reason: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { throw .notFound(what: what, details: []) }
        guard info.st_size <= Int64(limit) else {
            throw .tooLarge(what: what, reason: "\(path) is \(info.st_size) bytes, more than the \(limit) regtui reads for it")
        }
        // One byte more than the file had: reading it means the file grew. The memory is mapped
        // with its pages in place (MAP_POPULATE): a page fault for each 4 KiB of a large file
        // cost more than the read.
        let capacity = Int(info.st_size) + 1
        guard let memory = mmap(nil, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0),
              memory != MAP_FAILED else {
            throw .file(what: what, reason: "cannot read \(path): no memory for \(capacity) bytes")
        }
        let count = readAll(into: UnsafeMutableRawBufferPointer(start: memory, count: capacity), from: descriptor)
        guard count >= 0, count < capacity else {
            let reason = count < 0 ? String(cString: strerror(errno)) : nil
            munmap(memory, capacity)
            guard let reason else {
                throw .file(what: what, reason: "\(path) grew while regtui read it; try again once nothing writes to it")
            }
            throw .file(what: what, reason: "cannot read \(path): \(reason)")
        }
        return Data(bytesNoCopy: memory, count: count, deallocator: .custom { memory, _ in munmap(memory, capacity) })
    }

    /// Reads into `buffer` until it is full or the file ends: the bytes read, or -1 on an error.
    private static func readAll(into buffer: UnsafeMutableRawBufferPointer, from descriptor: Int32) -> Int {
        var total = 0
        while total < buffer.count {
            let count = Foundation.read(descriptor, buffer.baseAddress! + total, buffer.count - total)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return count < 0 ? -1 : total }
            total += count
        }
        return total
    }

    /// Writes `data` to `path` whole or not at all: a temporary file beside it, synced, renamed.
    static func writeAtomically(_ data: Data, to path: String, what: String) throws(RegistryError) {
        let temporary = try temporaryFile(beside: path, what: what)
        defer { close(temporary.descriptor) }
        let written = data.withUnsafeBytes { raw in writeAll(raw, to: temporary.descriptor) }
        guard written, fdatasync(temporary.descriptor) == 0, rename(temporary.path, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw .file(what: what, reason: "cannot write \(path): \(reason)")
        }
    }

    /// What temporary files' names have after the final name: the writer's process id follows.
    static let partialMarker = ".regtui-partial-"

    /// A new file beside `path` with a name no other writer uses.
    static func temporaryFile(beside path: String, what: String) throws(RegistryError) -> (path: String, descriptor: Int32) {
        let name = path + partialMarker + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .file(what: what, reason: "cannot create a file beside \(path): \(String(cString: strerror(errno)))")
        }
        return (name, descriptor)
    }

    /// Removes the temporary files in `directory` whose writer is gone (a copy killed before it
    /// could clean up); those of running processes are left alone.
    static func removeAbandonedPartials(in directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names {
            guard let marker = name.range(of: partialMarker),
                  let pid = Int32(name[marker.upperBound...].prefix { $0 != "-" }), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(directory + "/" + name) }
        }
    }

    static func makeDirectory(_ path: String, what: String) throws(RegistryError) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw .file(what: what, reason: "cannot create \(path): \(error.localizedDescription)")
        }
    }

    static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if count > 0 { offset += count } else if !(count < 0 && errno == EINTR) { return false }
        }
        return true
    }

    /// Runs blocking file work on a thread of its own.
    static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws(RegistryError) -> T) async throws(RegistryError) -> T {
        let result: Result<T, RegistryError> = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: Result { () throws(RegistryError) in try work() }) }.start()
        }
        return try result.get()
    }

    /// Streams the file at `path` into `pipe`.
    static func stream(_ path: String, into pipe: BytePipe, what: String) async throws(RegistryError) {
        try await onThread { () throws(RegistryError) in
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw .file(what: what, reason: "cannot open \(path): \(String(cString: strerror(errno)))") }
            defer { close(descriptor) }
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count >= 0 else { throw .file(what: what, reason: "cannot read \(path): \(String(cString: strerror(errno)))") }
                if count == 0 { return }
                do { try buffer.withUnsafeBytes { try pipe.write(UnsafeRawBufferPointer(rebasing: $0[0..<count])) } } catch {
                    throw RegistryError(bridging: error)
                }
            }
        }
    }

    /// Writes what flows through `pipe` to `path`, visible there only once the pipe has verified
    /// it; when it fails, nothing is left behind.
    static func receive(_ pipe: BytePipe, at path: String, what: String) async throws(RegistryError) {
        try await onThread { () throws(RegistryError) in
            let temporary = try temporaryFile(beside: path, what: what)
            defer { close(temporary.descriptor) }
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            var failure: RegistryError?
            while failure == nil {
                let count: Int
                do { count = try buffer.withUnsafeMutableBytes { try pipe.read(into: $0) } } catch {
                    failure = RegistryError(bridging: error)
                    break
                }
                if count == 0 { break }
                if !buffer.withUnsafeBytes({ writeAll(UnsafeRawBufferPointer(rebasing: $0[0..<count]), to: temporary.descriptor) }) {
                    failure = .file(what: what, reason: "cannot write \(temporary.path): \(String(cString: strerror(errno)))")
                    pipe.fail(failure!)
                }
            }
            if failure == nil, let failed = pipe.failed { failure = RegistryError(bridging: failed) }
            if failure == nil, fdatasync(temporary.descriptor) != 0 || rename(temporary.path, path) != 0 {
                failure = .file(what: what, reason: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            if let failure {
                unlink(temporary.path)
                throw failure
            }
        }
    }
}

/// An exclusive lock on a directory (flock), held while `body` runs: two regtui processes
/// writing one layout's index take turns.
func withDirectoryLock<T>(_ path: String, what: String, _ body: () throws(RegistryError) -> T) throws(RegistryError) -> T {
    let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .file(what: what, reason: "cannot open \(path): \(String(cString: strerror(errno)))") }
    defer { close(descriptor) }
    while flock(descriptor, LOCK_EX) != 0 {
        guard errno == EINTR else { throw .file(what: what, reason: "cannot lock \(path): \(String(cString: strerror(errno)))") }
    }
    defer { flock(descriptor, LOCK_UN) }
    return try body()
}
