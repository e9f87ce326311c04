import CArchive
import Foundation
import OCI
import Registry

/// A tar file read entry by entry through libarchive (ustar, pax and GNU forms; compressed or
/// not). Entries are skipped by seeking, so finding one reads headers, not data. Use it from one
/// thread.
final class TarReader {
    private let archive: OpaquePointer
    let path: String
    private let what: String

    init(path: String, what: String) throws(RegistryError) {
        guard FileIO.exists(path) else { throw .notFound(what: "\(what) (there is no file \(path))", details: []) }
        try SystemLibraries.requireArchive()
        archive = archive_read_new()
        archive_read_support_filter_all(archive)
        archive_read_support_format_tar(archive)
        self.path = path
        self.what = what
        guard archive_read_open_filename(archive, path, 1 << 16) == ARCHIVE_OK else {
            let reason = Self.message(archive)
            archive_read_free(archive)
            throw .file(what: what, reason: "cannot read \(path) as a tar archive: \(reason)")
        }
    }

    deinit { archive_read_free(archive) }

    /// The next entry's path (without a leading `./` or `/`) and size; nil at the end.
    func next() throws(RegistryError) -> (path: String, size: Int64)? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(archive, &entry)
        if status == ARCHIVE_EOF { return nil }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else {
            throw .file(what: what, reason: "\(path) is not a readable tar archive: \(Self.message(archive))")
        }
        let raw = archive_entry_pathname_utf8(entry).map { String(cString: $0) } ?? archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
        var name = Substring(raw)
        while name.hasPrefix("./") { name = name.dropFirst(2) }
        while name.hasPrefix("/") { name = name.dropFirst() }
        return (String(name), archive_entry_size(entry))
    }

    /// Moves to the entry at `path`; false when the archive has none.
    func seek(to path: String) throws(RegistryError) -> (path: String, size: Int64)? {
        while let entry = try next() {
            if entry.path == path { return entry }
        }
        return nil
    }

    /// The current entry's data, at most `limit` bytes.
    func data(limit: Int) throws(RegistryError) -> Data {
        var data = Data()
        try blocks { chunk throws(RegistryError) in
            guard data.count + chunk.count <= limit else {
                throw .tooLarge(what: what, reason: "an entry of \(path) is larger than the \(limit) bytes regtui reads for it")
            }
            data.append(contentsOf: chunk)
        }
        return data
    }

    /// Hands the current entry's data to `take`, a piece at a time.
    func blocks(_ take: (UnsafeRawBufferPointer) throws(RegistryError) -> Void) throws(RegistryError) {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw .file(what: what, reason: "cannot read \(path): \(Self.message(archive))") }
            if count == 0 { return }
            do { try buffer.withUnsafeBytes { raw in try take(UnsafeRawBufferPointer(rebasing: raw[0..<count])) } } catch {
                throw RegistryError(bridging: error)
            }
        }
    }

    static func message(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
    }
}

/// A tar file written entry by entry through libarchive (pax), to a temporary name beside its
/// destination; `finish` renames it into place, so readers see the old file or the whole new one.
final class TarWriter: @unchecked Sendable {
    private let archive: OpaquePointer
    let destination: String
    let temporary: String
    private let what: String

    init(destination: String, what: String) throws(RegistryError) {
        try SystemLibraries.requireArchive()
        let (temporary, descriptor) = try FileIO.temporaryFile(beside: destination, what: what)
        close(descriptor)
        self.destination = destination
        self.temporary = temporary
        self.what = what
        archive = archive_write_new()
        archive_write_set_format_pax_restricted(archive)
        guard archive_write_open_filename(archive, temporary) == ARCHIVE_OK else {
            let reason = TarReader.message(archive)
            archive_write_free(archive)
            unlink(temporary)
            throw .file(what: what, reason: "cannot write \(temporary): \(reason)")
        }
    }

    deinit { archive_write_free(archive) }

    /// Starts an entry for a regular file of `size` bytes at `path`.
    func begin(_ path: String, size: Int64) throws(RegistryError) {
        let entry = archive_entry_new()
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname(entry, path)
        archive_entry_set_size(entry, size)
        archive_entry_set_filetype(entry, 0o100000)  // AE_IFREG, a cast macro Swift does not import
        archive_entry_set_perm(entry, 0o644)
        guard archive_write_header(archive, entry) == ARCHIVE_OK else {
            throw .file(what: what, reason: "cannot write \(temporary): \(TarReader.message(archive))")
        }
    }

    /// Writes the current entry's next bytes.
    func write(_ bytes: UnsafeRawBufferPointer) throws(RegistryError) {
        guard bytes.isEmpty || archive_write_data(archive, bytes.baseAddress, bytes.count) == bytes.count else {
            throw .file(what: what, reason: "cannot write \(temporary): \(TarReader.message(archive))")
        }
    }

    /// A whole entry.
    func add(_ path: String, _ data: Data) throws(RegistryError) {
        try begin(path, size: Int64(data.count))
        do { try data.withUnsafeBytes { raw in try write(raw) } } catch { throw RegistryError(bridging: error) }
    }

    /// Ends the archive and renames it into place.
    func finish() throws(RegistryError) {
        guard archive_write_close(archive) == ARCHIVE_OK, rename(temporary, destination) == 0 else {
            let reason = TarReader.message(archive)
            unlink(temporary)
            throw .file(what: what, reason: "cannot write \(destination): \(reason)")
        }
    }

    /// Gives up: nothing is left behind.
    func abandon() {
        archive_write_close(archive)
        unlink(temporary)
    }
}
