import FileTree
import OCI
import Registry
import Stores

/// What is inside one image: its layers' entries and the merged filesystem, read from any store.
public struct ImageFiles: Sendable {
    /// Layers read at once.
    public static let parallelLayers = 4

    public let store: any ImageStore
    /// The image manifest (an index's child chosen by platform).
    public let manifest: Manifest
    public let image: ImageManifest
    /// The platform chosen from an index; nil when the reference named an image.
    public let platform: Platform?

    /// The image `id` names in `store`; for an index, its `platform` child, or the host's (else
    /// the first) without one.
    public static func open(_ store: any ImageStore, _ id: ManifestID, platform: Platform?) async throws(RegistryError) -> ImageFiles {
        let (manifest, image, chosen) = try await store.image(id, platform: platform)
        return ImageFiles(store: store, manifest: manifest, image: image, platform: chosen)
    }

    /// One layer's own entries (1-based `position`), whiteouts shown as such; `batches` gets
    /// them as they are read.
    public func layer(_ position: Int, content: LayerReader.Content = .skip,
                      batches: LayerReader.Batches? = nil) async throws(RegistryError) -> [FileEntry] {
        guard image.layers.indices.contains(position - 1) else {
            throw .notFound(what: "layer \(position) of \(store.location.name) (it has \(image.layers.count))", details: [])
        }
        return try await LayerReader(store: store, blob: image.layers[position - 1], position: position)
            .entries(content: content, batches: batches)
    }

    /// The merged filesystem: every layer read (a few at once), then applied in order.
    public func merged(content: LayerReader.Content = .skip) async throws(RegistryError) -> MergedFilesystem {
        let layers = try await concurrentMap(image.layers.indices.map { $0 + 1 }, limit: Self.parallelLayers) { (position) throws(RegistryError) in
            try await layer(position, content: content)
        }
        var filesystem = MergedFilesystem()
        for entries in layers { filesystem.apply(entries) }
        return filesystem
    }

    /// Reads every layer (a few at once) for the one who shows them, keeping nothing: `batches`
    /// gets each layer's entries as they are read (layers interleaved, each entry naming its
    /// layer), and `verified` each layer's position once all its bytes matched its digest.
    public func stream(batches: @escaping LayerReader.Batches, verified: @escaping @Sendable (Int) -> Void) async throws(RegistryError) {
        _ = try await concurrentMap(image.layers.indices.map { $0 + 1 }, limit: Self.parallelLayers) { (position) throws(RegistryError) in
            _ = try await layer(position, batches: batches)
            verified(position)
        }
    }

    /// Streams the bytes of the file at `path` as the merged filesystem has it (symlinks followed
    /// inside the image) to `sink`. Returns the entry, or nil when the path is absent, whited out,
    /// or not a regular file (then `reason` says which).
    public func cat(_ path: String, into sink: @escaping @Sendable (UnsafeRawBufferPointer) throws -> Void) async throws(RegistryError) -> FileEntry {
        switch try await merged().lookup(path) {
        case .absent:
            throw .notFound(what: "\(path) in \(store.location.name)", details: [])
        case .notAFile(let entry):
            throw .file(what: "\(path) in \(store.location.name)", reason: "it is a \(entry.type.rawValue), not a file")
        case .file(let entry, let source):
            try await extract(source, layer: entry.layer, into: sink)
            return entry
        }
    }

    /// Streams the bytes of the file at `source` in layer `position` (1-based) to `sink`.
    public func extract(_ source: String, layer position: Int,
                        into sink: @escaping @Sendable (UnsafeRawBufferPointer) throws -> Void) async throws(RegistryError) {
        guard image.layers.indices.contains(position - 1) else {
            throw .notFound(what: "layer \(position) of \(store.location.name) (it has \(image.layers.count))", details: [])
        }
        let reader = LayerReader(store: store, blob: image.layers[position - 1], position: position)
        _ = try await reader.entries(content: .extract(source), sink: sink)
    }
}

extension ImageFiles {
    /// The file-level differences from `self` to `other`, both read at once (regular files
    /// compared by the sha256 of their bytes); mtime alone counts only with `times`.
    public func changes(to other: ImageFiles, times: Bool = false) async throws(RegistryError) -> [FileChange] {
        async let mine = merged(content: .hash)
        async let theirs = other.merged(content: .hash)
        do { return fileChanges(try await mine, try await theirs, times: times) } catch { throw RegistryError(bridging: error) }
    }
}

/// One layer's uncompressed bytes against the `diff_id` its image's config declares.
public struct DiffIDCheck: Sendable, Equatable {
    /// 1-based.
    public var position: Int
    /// What the config says (nil when it lists no diff_id for this layer).
    public var declared: Digest?
    /// The sha256 of the layer decompressed.
    public var actual: Digest
    public var matches: Bool { declared == actual }
}

extension ImageFiles {
    /// Decompresses the layers at `positions` (1-based), a few at once, and checks each against
    /// its diff_id.
    public func checkDiffIDs(at positions: [Int]) async throws(RegistryError) -> [DiffIDCheck] {
        let declared = try await store.readConfig(image.config).1.rootfs?.diffIDs ?? []
        return try await concurrentMap(positions, limit: Self.parallelLayers) { (position) throws(RegistryError) in
            let actual = try await LayerReader(store: store, blob: image.layers[position - 1], position: position).uncompressedDigest()
            return DiffIDCheck(position: position, declared: declared.indices.contains(position - 1) ? declared[position - 1] : nil,
                               actual: actual)
        }
    }
}
