import Foundation
import OCI
import Registry
import Synchronization

/// An OCI archive (`oci-archive:FILE`): a tar of an OCI image layout, as skopeo writes it. Read
/// by finding entries (headers only, data skipped by seeking); written as a new archive beside
/// the file — what the old one holds first, then each blob as it streams in (one at a time),
/// the index last — renamed over the file on `commit`. Until then readers see the old archive,
/// and a failed copy leaves it untouched.
public final class OCIArchiveStore: LayoutBacked, @unchecked Sendable {
    public let path: String
    public var location: ImageRef { ImageRef(kind: .ociArchive, location: path) }
    private var what: String { location.name }

    /// The archive being written, once a write has begun. Its lock serialises every write.
    private struct Writing: Sendable {
        var tar: TarWriter
        var index: LayoutIndex
        /// Blobs in the new archive, by path, with their sizes.
        var blobs: [String: Int64]
    }
    private let writing = Mutex<Writing?>(nil)
    private let writeLock = NSLock()

    public init(path: String) { self.path = path }

    var exists: Bool { FileIO.exists(path) || writing.withLock { $0 != nil } }

    // MARK: Reading

    func index() async throws(RegistryError) -> LayoutIndex {
        if let index = writing.withLock({ $0?.index }) { return index }
        return try await FileIO.onThread { [path, what] () throws(RegistryError) -> LayoutIndex in
            let tar = try TarReader(path: path, what: what)
            guard try tar.seek(to: "index.json") != nil else {
                throw .badResponse(what: what, reason: "\(path) holds no index.json: it is not an OCI archive")
            }
            return try LayoutIndex(bytes: tar.data(limit: LayoutIndex.maxSize), what: what)
        }
    }

    func storedBlob(_ digest: Digest, limit: Int) async throws(RegistryError) -> Data {
        try await FileIO.onThread { [path, what] () throws(RegistryError) -> Data in
            let tar = try TarReader(path: path, what: what)
            guard try tar.seek(to: digest.layoutPath) != nil else { throw .notFound(what: "blob \(digest) in \(what)", details: []) }
            return try tar.data(limit: limit)
        }
    }

    public func readBlob(_ blob: Descriptor, into pipe: BytePipe) async throws(RegistryError) {
        try await FileIO.onThread { [path, what] () throws(RegistryError) in
            let tar = try TarReader(path: path, what: what)
            guard try tar.seek(to: blob.digest.layoutPath) != nil else { throw .notFound(what: "blob \(blob.digest) in \(what)", details: []) }
            try tar.blocks { chunk throws(RegistryError) in
                do { try pipe.write(chunk) } catch { throw RegistryError(bridging: error) }
            }
        }
    }

    // MARK: Writing

    public var holdsRegistryManifests: Bool { true }
    public var parallelWrites: Int { 1 }

    /// Starts the new archive: the old one's entries first (its index kept aside to merge).
    private func begin() throws(RegistryError) -> Writing {
        if let current = writing.withLock({ $0 }) { return current }
        let tar = try TarWriter(destination: path, what: what)
        var index = LayoutIndex()
        var blobs: [String: Int64] = [:]
        if FileIO.exists(path) {
            let old = try TarReader(path: path, what: what)
            while let entry = try old.next() {
                switch entry.path {
                case "index.json": index = try LayoutIndex(bytes: old.data(limit: LayoutIndex.maxSize), what: what)
                case "oci-layout": continue
                default:
                    guard entry.path.hasPrefix("blobs/") else { continue }
                    try tar.begin(entry.path, size: entry.size)
                    try old.blocks { chunk throws(RegistryError) in try tar.write(chunk) }
                    blobs[entry.path] = entry.size
                }
            }
        }
        let started = Writing(tar: tar, index: index, blobs: blobs)
        writing.withLock { $0 = started }
        return started
    }

    public func blobSize(_ digest: Digest) async throws(RegistryError) -> Int64? {
        try await FileIO.onThread { [self] () throws(RegistryError) -> Int64? in
            writeLock.lock()
            defer { writeLock.unlock() }
            return try begin().blobs[digest.layoutPath]
        }
    }

    public func mayHaveContent() async throws(RegistryError) -> Bool { FileIO.exists(path) }

    public func putBlob(_ blob: Descriptor, reading: () async throws(RegistryError) -> Data) async throws(RegistryError) {
        let bytes = try await reading()
        try await FileIO.onThread { [self] () throws(RegistryError) in
            writeLock.lock()
            defer { writeLock.unlock() }
            let current = try begin()
            guard current.blobs[blob.digest.layoutPath] == nil else { return }
            try current.tar.add(blob.digest.layoutPath, bytes)
            writing.withLock { $0?.blobs[blob.digest.layoutPath] = Int64(bytes.count) }
        }
    }

    /// One entry at a time: the entry's header declares the blob's size, then the bytes follow
    /// as the pipe hands them over. A blob that fails verification has spoiled the archive being
    /// written, so the copy fails and `discard` removes it.
    public func writeBlob(_ blob: Descriptor, from pipe: BytePipe) async throws(RegistryError) {
        try await FileIO.onThread { [self] () throws(RegistryError) in
            writeLock.lock()
            defer { writeLock.unlock() }
            let current: Writing
            do throws(RegistryError) {
                current = try begin()
                try current.tar.begin(blob.digest.layoutPath, size: blob.size)
            } catch {
                pipe.fail(error)
                throw error
            }
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count: Int
                do { count = try buffer.withUnsafeMutableBytes { try pipe.read(into: $0) } } catch { throw RegistryError(bridging: error) }
                if count == 0 { break }
                do { try buffer.withUnsafeBytes { raw in try current.tar.write(UnsafeRawBufferPointer(rebasing: raw[0..<count])) } } catch {
                    pipe.fail(error)
                    throw RegistryError(bridging: error)
                }
            }
            if let failed = pipe.failed { throw RegistryError(bridging: failed) }
            writing.withLock { $0?.blobs[blob.digest.layoutPath] = blob.size }
        }
    }

    public func putManifest(_ manifest: Manifest, as placement: Placement) async throws(RegistryError) {
        try await putBlob(manifest.descriptor, bytes: manifest.bytes)
        let tag: String?
        switch placement {
        case .child: return
        case .referrer, .root(nil): tag = nil
        case .root(let named?): tag = named
        }
        writing.withLock { $0?.index.place(Descriptor.listing(manifest), tag: tag) }
    }

    /// Writes `oci-layout` and the merged index, and renames the new archive over the old.
    public func commit() async throws(RegistryError) {
        guard let current = writing.withLock({ $0 }) else { return }
        try await FileIO.onThread { [self] () throws(RegistryError) in
            writeLock.lock()
            defer { writeLock.unlock() }
            try current.tar.add("oci-layout", ociLayoutFile)
            try current.tar.add("index.json", current.index.bytes)
            try current.tar.finish()
            writing.withLock { $0 = nil }
        }
    }

    public func discard() async {
        writeLock.withLock {
            writing.withLock { $0 }?.tar.abandon()
            writing.withLock { $0 = nil }
        }
    }
}
