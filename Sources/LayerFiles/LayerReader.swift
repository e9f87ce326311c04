import CArchive
import FileTree
import Foundation
import OCI
import Registry
import Stores

/// Reads one layer blob as it streams from a store — never whole in memory, never on disk —
/// through libarchive (gzip, zstd or plain tar; ustar, pax and GNU forms). The blob's digest is
/// checked as it streams: a listing is returned only once every byte matched.
public struct LayerReader: Sendable {
    /// What to do with regular files' bytes as they pass.
    public enum Content: Sendable, Equatable {
        /// Nothing: headers only (the bytes are still decompressed to reach the next header).
        case skip
        /// The sha256 of each regular file.
        case hash
        /// The bytes of the file at this path, handed to `sink` as they pass.
        case extract(String)
    }

    /// Receives a layer's entries in batches as they are read, before the blob's digest has
    /// been checked: for showing them as they arrive, never for trusting them.
    public typealias Batches = @Sendable (_ entries: [FileEntry]) -> Void

    /// Entries handed to `Batches` at a time.
    static let batchSize = 4096

    /// Most entries one layer may hold.
    public static let maxEntries = 2_000_000
    /// Longest path accepted.
    public static let maxPath = 4096

    public let store: any ImageStore
    public let blob: Descriptor
    /// The layer's 1-based position in its image.
    public let position: Int

    public init(store: any ImageStore, blob: Descriptor, position: Int) {
        self.store = store
        self.blob = blob
        self.position = position
    }

    /// The layer's own entries (whiteouts and opaque markers included), in archive order.
    /// `sink` receives an extracted file's bytes; `batches`, the entries as they are read.
    public func entries(content: Content = .skip, sink: @escaping @Sendable (UnsafeRawBufferPointer) throws -> Void = { _ in },
                        batches: Batches? = nil) async throws(RegistryError) -> [FileEntry] {
        let position = self.position
        return try await scanning { pipe, what throws(RegistryError) in
            try ArchiveScan(pipe: pipe, what: what, layer: position, content: content, sink: sink).entries(batches: batches)
        }
    }

    /// The sha256 of the layer's uncompressed bytes: what its config's `diff_id` must be.
    public func uncompressedDigest() async throws(RegistryError) -> Digest {
        let position = self.position
        return try await scanning { pipe, what throws(RegistryError) in
            try ArchiveScan(pipe: pipe, what: what, layer: position, content: .skip, sink: { _ in }).uncompressedDigest()
        }
    }

    /// Streams the blob through a pipe (checking its digest) while `work` reads the pipe on a
    /// thread of its own; the result only once every byte matched.
    private func scanning<T: Sendable>(_ work: @escaping @Sendable (BytePipe, String) throws(RegistryError) -> T) async throws(RegistryError) -> T {
        let pipe = BytePipe(expected: blob) { _ in }
        let what = "layer \(position) (\(blob.digest)) of \(store.location.name)"
        let scan = Task.detached { () -> Result<T, RegistryError> in
            await withCheckedContinuation { continuation in
                let thread = Thread {
                    let result = Result { () throws(RegistryError) in try work(pipe, what) }
                    if case .failure(let error) = result { pipe.fail(error) }
                    continuation.resume(returning: result)
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
        }
        var failure: RegistryError?
        do {
            try await withTaskCancellationHandler {
                try await store.readBlob(blob, into: pipe)
            } onCancel: {
                pipe.fail(RegistryError.cancelled)
            }
            try pipe.finishDownload()
        } catch {
            failure = RegistryError(bridging: error)
            pipe.fail(failure!)
        }
        let scanned = await scan.value
        if let failure { throw failure }
        return try scanned.get()
    }
}

/// One pass of libarchive over a pipe, on the calling thread (it blocks on the pipe).
private final class ArchiveScan {
    let pipe: BytePipe
    let what: String
    let layer: Int
    let content: LayerReader.Content
    let sink: @Sendable (UnsafeRawBufferPointer) throws -> Void
    var buffer = [UInt8](repeating: 0, count: 1 << 18)

    init(pipe: BytePipe, what: String, layer: Int, content: LayerReader.Content,
         sink: @escaping @Sendable (UnsafeRawBufferPointer) throws -> Void) {
        self.pipe = pipe
        self.what = what
        self.layer = layer
        self.content = content
        self.sink = sink
    }

    /// libarchive reading the pipe: as a tar, or (`raw`) as one stream of decompressed bytes.
    private func open(raw: Bool) throws(RegistryError) -> OpaquePointer {
        try SystemLibraries.requireArchive()
        guard let archive = archive_read_new() else { throw .unexpected("libarchive could not start") }
        archive_read_support_filter_all(archive)
        if raw { archive_read_support_format_raw(archive) } else { archive_read_support_format_tar(archive) }
        let opened = archive_read_open(archive, Unmanaged.passUnretained(self).toOpaque(), nil, { _, client, block in
            Unmanaged<ArchiveScan>.fromOpaque(client!).takeUnretainedValue().fill(block)
        }, nil)
        guard opened == ARCHIVE_OK else {
            let error = failure(archive, raw ? "not a stream libarchive can decompress" : "not a tar archive")
            archive_read_free(archive)
            throw error
        }
        return archive
    }

    func uncompressedDigest() throws(RegistryError) -> Digest {
        let archive = try open(raw: true)
        defer { archive_read_free(archive) }
        var header: OpaquePointer?
        guard archive_read_next_header(archive, &header) == ARCHIVE_OK else { throw failure(archive, "no data") }
        var hasher = DigestHasher()
        var data = [UInt8](repeating: 0, count: 1 << 18)
        while true {
            let count = data.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw failure(archive, "a broken stream") }
            if count == 0 { break }
            data.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        try drain()
        return hasher.finish()
    }

    func entries(batches: LayerReader.Batches?) throws(RegistryError) -> [FileEntry] {
        let archive = try open(raw: false)
        defer { archive_read_free(archive) }
        var entries: [FileEntry] = []
        // Regular files by path, and the hardlinks to them in this layer (by position in `entries`).
        var files: [String: Int] = [:]
        var hardlinks: [(link: Int, target: Int)] = []
        // Hashing runs beside the decompression; extracting stays on this thread, in order.
        let hashing = content == .hash ? BackgroundHasher() : nil
        defer { hashing?.abandon() }
        var data = [UInt8](repeating: 0, count: 1 << 18)
        while true {
            var header: OpaquePointer?
            let status = archive_read_next_header(archive, &header)
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let header else { throw failure(archive, "a broken tar header") }
            guard entries.count < LayerReader.maxEntries else {
                throw .tooLarge(what: what, reason: "it holds more than \(LayerReader.maxEntries) entries, the most regtui lists")
            }
            guard var entry = try describe(header) else { continue }
            if entry.type == .file, let hashing {
                try hash(archive, entry, index: entries.count, with: hashing)
            } else if entry.type == .file, content != .skip {
                var hasher = DigestHasher()
                let extracting = content == .extract(entry.path)
                while true {
                    let count = data.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
                    guard count >= 0 else { throw failure(archive, "a broken entry at \(entry.path)") }
                    if count == 0 { break }
                    let refused: (any Error)? = data.withUnsafeBytes { raw in
                        let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<count])
                        hasher.update(chunk)
                        guard extracting else { return nil }
                        do { try sink(chunk) } catch { return error }
                        return nil
                    }
                    if let refused { throw RegistryError(bridging: refused) }
                }
                entry.sha256 = hasher.finish()
            }
            if entry.type == .file { files[entry.path] = entries.count }
            if entry.type == .hardlink, let target = entry.linkTarget, let file = files[target] {
                hardlinks.append((entries.count, file))
            }
            entries.append(entry)
            if let batches, entries.count % LayerReader.batchSize == 0 { batches(Array(entries.suffix(LayerReader.batchSize))) }
        }
        if let batches, entries.count % LayerReader.batchSize != 0 { batches(Array(entries.suffix(entries.count % LayerReader.batchSize))) }
        try drain()
        if let digests = hashing?.finish() {
            for (index, digest) in digests { entries[index].sha256 = digest }
        }
        for (link, target) in hardlinks { (entries[link].size, entries[link].sha256) = (entries[target].size, entries[target].sha256) }
        return entries
    }

    /// Decompresses a regular file's bytes straight into the hasher's buffers.
    private func hash(_ archive: OpaquePointer, _ entry: FileEntry, index: Int, with hashing: BackgroundHasher) throws(RegistryError) {
        hashing.begin(index)
        while true {
            var piece = hashing.takeBuffer()
            let count = piece.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
            guard count > 0 else {
                hashing.giveBack(piece)
                guard count == 0 else { throw failure(archive, "a broken entry at \(entry.path)") }
                break
            }
            hashing.add(piece, count: count)
        }
        hashing.end()
    }

    /// Reads the rest of the blob (a tar's padding) so it still passes the digest check.
    private func drain() throws(RegistryError) {
        while try readPipe() > 0 {}
        if let failed = pipe.failed { throw RegistryError(bridging: failed) }
    }

    /// libarchive's read callback: the next bytes from the pipe.
    func fill(_ block: UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int {
        let count = (try? readPipe()) ?? -1
        buffer.withUnsafeBytes { block?.pointee = $0.baseAddress }
        return count
    }

    private func readPipe() throws(RegistryError) -> Int {
        let count: Int
        do { count = try buffer.withUnsafeMutableBytes { try pipe.read(into: $0) } } catch { throw RegistryError(bridging: error) }
        if count == 0, let failed = pipe.failed { throw RegistryError(bridging: failed) }
        return count
    }

    /// The entry a header describes, its path made absolute; whiteouts become markers.
    private func describe(_ header: OpaquePointer) throws(RegistryError) -> FileEntry? {
        let raw = archive_entry_pathname_utf8(header).map { String(cString: $0) }
            ?? archive_entry_pathname(header).map { String(cString: $0) } ?? ""
        guard raw.utf8.count <= LayerReader.maxPath else {
            throw .tooLarge(what: what, reason: "an entry's path is longer than \(LayerReader.maxPath) bytes")
        }
        let path = FileEntry.normalise(raw)
        guard path != "/" else { return nil }
        let (parent, name) = MergedFilesystem.split(path)
        let mode = UInt32(archive_entry_perm(header))
        let mtime = Int64(archive_entry_mtime(header))
        if name == ".wh..wh..opq" { return FileEntry(path: parent, type: .opaque, mode: 0, mtime: mtime, layer: layer) }
        if name.hasPrefix(".wh.") {
            return FileEntry(path: MergedFilesystem.join(parent, String(name.dropFirst(4))), type: .whiteout, mode: 0, mtime: mtime, layer: layer)
        }
        var entry = FileEntry(path: path, type: .other, mode: mode, uid: Int64(archive_entry_uid(header)), gid: Int64(archive_entry_gid(header)),
                              mtime: mtime, layer: layer)
        if let hardlink = archive_entry_hardlink(header) {
            entry.type = .hardlink
            entry.linkTarget = FileEntry.normalise(String(cString: hardlink))
            return entry
        }
        switch archive_entry_filetype(header) {
        case 0o100000:
            entry.type = .file
            entry.size = max(0, archive_entry_size(header))
        case 0o040000:
            entry.type = .dir
        case 0o120000:
            entry.type = .symlink
            entry.linkTarget = archive_entry_symlink(header).map { String(cString: $0) } ?? ""
        default:
            entry.type = .other
        }
        return entry
    }

    private func failure(_ archive: OpaquePointer, _ problem: String) -> RegistryError {
        if let failed = pipe.failed { return RegistryError(bridging: failed) }
        let reason = archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
        return .badResponse(what: what, reason: "\(problem): \(reason)")
    }
}
