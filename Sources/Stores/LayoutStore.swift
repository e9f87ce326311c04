import Foundation
import OCI
import Registry
import Synchronization

/// An OCI image layout on disk (`oci:PATH`): `oci-layout`, `index.json`, `blobs/sha256/…`, tags as
/// `ref.name` annotations, several tags and images in one layout, referrers listed in the index.
/// It is created on the first write. Every blob is written to a temporary name and renamed once
/// verified, so an interrupted copy leaves no half blob under its final name and a second copy
/// skips what the first finished; `index.json` is replaced the same way, under a lock on the
/// layout's directory.
public final class LayoutStore: LayoutBacked {
    public let path: String
    public var location: ImageRef { ImageRef(kind: .ociLayout, location: path) }

    public init(path: String) { self.path = path }

    private var what: String { location.name }

    private func file(_ relative: String) -> String { path + "/" + relative }

    /// Whether the layout exists (its `oci-layout` file does).
    var exists: Bool { FileIO.exists(file("oci-layout")) }

    // MARK: Reading

    func index() async throws(RegistryError) -> LayoutIndex {
        guard exists else {
            throw .notFound(what: "an OCI image layout at \(path) (there is no \(file("oci-layout")))", details: [])
        }
        return try LayoutIndex(bytes: FileIO.read(file("index.json"), limit: LayoutIndex.maxSize, what: what), what: what)
    }

    func storedBlob(_ digest: Digest, limit: Int) async throws(RegistryError) -> Data {
        try FileIO.read(file(digest.layoutPath), limit: limit, what: "blob \(digest) in \(what)")
    }

    public func readBlob(_ blob: Descriptor, into pipe: BytePipe) async throws(RegistryError) {
        try await FileIO.stream(file(blob.digest.layoutPath), into: pipe, what: "blob \(blob.digest) in \(what)")
    }

    // MARK: Writing

    public var holdsRegistryManifests: Bool { true }
    public var parallelWrites: Int { .max }

    public func blobSize(_ digest: Digest) async throws(RegistryError) -> Int64? { FileIO.size(file(digest.layoutPath)) }
    public func mayHaveContent() async throws(RegistryError) -> Bool { exists }

    /// Whether this copy has looked for what a killed one left.
    private let tidied = Mutex(false)

    /// Creates the layout's skeleton when it is not there yet, and on the first write removes the
    /// temporary files of copies that were killed.
    private func prepare() throws(RegistryError) {
        try FileIO.makeDirectory(file("blobs/sha256"), what: what)
        let first = tidied.withLock { done in
            defer { done = true }
            return !done
        }
        if first {
            FileIO.removeAbandonedPartials(in: file("blobs/sha256"))
            FileIO.removeAbandonedPartials(in: path)
        }
        if FileIO.exists(file("oci-layout")) { return }
        try withDirectoryLock(path, what: what) { () throws(RegistryError) in
            if !FileIO.exists(file("index.json")) {
                try FileIO.writeAtomically(LayoutIndex().bytes, to: file("index.json"), what: what)
            }
            if !FileIO.exists(file("oci-layout")) { try FileIO.writeAtomically(ociLayoutFile, to: file("oci-layout"), what: what) }
        }
    }

    public func putBlob(_ blob: Descriptor, reading: () async throws(RegistryError) -> Data) async throws(RegistryError) {
        let bytes = try await reading()
        try prepare()
        try FileIO.makeDirectory(file("blobs/\(blob.digest.algorithm.rawValue)"), what: what)
        try FileIO.writeAtomically(bytes, to: file(blob.digest.layoutPath), what: "blob \(blob.digest) in \(what)")
    }

    public func writeBlob(_ blob: Descriptor, from pipe: BytePipe) async throws(RegistryError) {
        do {
            try prepare()
            try FileIO.makeDirectory(file("blobs/\(blob.digest.algorithm.rawValue)"), what: what)
        } catch {
            pipe.fail(error)
            throw error
        }
        try await FileIO.receive(pipe, at: file(blob.digest.layoutPath), what: "blob \(blob.digest) in \(what)")
    }

    public func putManifest(_ manifest: Manifest, as placement: Placement) async throws(RegistryError) {
        if FileIO.size(file(manifest.digest.layoutPath)) != Int64(manifest.bytes.count) {
            try await putBlob(manifest.descriptor, bytes: manifest.bytes)
        }
        let tag: String?
        switch placement {
        case .child: return
        case .referrer, .root(nil): tag = nil
        case .root(let named?): tag = named
        }
        try withDirectoryLock(path, what: what) { () throws(RegistryError) in
            var index = try LayoutIndex(bytes: FileIO.read(file("index.json"), limit: LayoutIndex.maxSize, what: what), what: what)
            index.place(Descriptor.listing(manifest), tag: tag)
            try FileIO.writeAtomically(index.bytes, to: file("index.json"), what: what)
        }
    }

    public func commit() async throws(RegistryError) {}
    public func discard() async {}
}
