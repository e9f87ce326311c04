import Foundation
import OCI
import Registry

/// What `docker save` and `podman save` write (`docker-archive:FILE[:REPO:TAG]`): `manifest.json`
/// naming each image's config file, tags and uncompressed layer tars. It holds no registry
/// manifest, so regtui shows the one the engine would push: a Docker manifest whose config is
/// the config file (its digest is the image ID) and whose layers are the layer tars, named by
/// their `diff_id`s — every read is checked against those digests. Read-only: a copy from it
/// could not keep any registry digest.
public final class DockerArchiveStore: ImageStore {
    public let path: String
    public var location: ImageRef { ImageRef(kind: .dockerArchive, location: path) }
    private var what: String { location.name }

    public init(path: String) { self.path = path }

    /// One image of `manifest.json`.
    struct Image: Decodable {
        var Config: String
        var RepoTags: [String]?
        var Layers: [String]
    }

    /// The images `manifest.json` lists, and the size of every entry of the archive.
    private func contents() async throws(RegistryError) -> ([Image], [String: Int64]) {
        try await FileIO.onThread { [path, what] () throws(RegistryError) -> ([Image], [String: Int64]) in
            let tar = try TarReader(path: path, what: what)
            var sizes: [String: Int64] = [:]
            var images: [Image]?
            while let entry = try tar.next() {
                sizes[entry.path] = entry.size
                guard entry.path == "manifest.json" else { continue }
                let bytes = try tar.data(limit: LayoutIndex.maxSize)
                guard let decoded = try? JSONDecoder().decode([Image].self, from: bytes) else {
                    throw .badResponse(what: what, reason: "its manifest.json is not a list of images with Config and Layers")
                }
                images = decoded
            }
            guard let images else {
                throw .badResponse(what: what, reason: "\(path) holds no manifest.json: it is not what docker save or podman save writes")
            }
            return (images, sizes)
        }
    }

    /// The image `id` names: `REPO:TAG` as the engine tagged it (`busybox:latest` and
    /// `docker.io/library/busybox:latest` are one), or the only one.
    private func image(_ id: ManifestID, in images: [Image]) throws(RegistryError) -> Image {
        let tags = images.flatMap { $0.RepoTags ?? [] }
        switch id {
        case .tag(let tag):
            let wanted = (try? Reference(parsing: tag))?.description
            if let found = images.first(where: { ($0.RepoTags ?? []).contains { $0 == tag || (try? Reference(parsing: $0))?.description == wanted } }) {
                return found
            }
        case .only:
            if images.count == 1 { return images[0] }
        case .digest:
            break
        }
        throw .notFound(what: "\(id) in \(what) (it holds \(images.count) image\(images.count == 1 ? "" : "s")\(tags.isEmpty ? "" : ": " + tags.joined(separator: ", ")))",
                        details: [])
    }

    /// The Docker manifest for `image`, and where each of its blobs is in the archive.
    private func synthesize(_ image: Image, sizes: [String: Int64]) async throws(RegistryError) -> (Manifest, [Digest: String]) {
        let config = try await entry(image.Config, limit: 16 << 20)
        let configDigest = Digest.of(config)
        let ids: [Digest]
        do { ids = try ImageConfig(parsing: config).rootfs?.diffIDs ?? [] } catch {
            throw .badResponse(what: "the config \(image.Config) in \(what)", reason: error.description)
        }
        guard ids.count == image.Layers.count else {
            throw .badResponse(what: what, reason: "the config lists \(ids.count) diff_ids for \(image.Layers.count) layers")
        }
        var places: [Digest: String] = [configDigest: image.Config]
        var layers: [Descriptor] = []
        for (id, path) in zip(ids, image.Layers) {
            guard let size = sizes[path] else { throw .badResponse(what: what, reason: "manifest.json names \(path), which the archive does not hold") }
            places[id] = path
            layers.append(Descriptor(mediaType: .dockerLayer, digest: id, size: size))
        }
        let value: [String: Any] = [
            "schemaVersion": 2, "mediaType": MediaType.dockerManifest.rawValue,
            "config": ["mediaType": MediaType.dockerConfig.rawValue, "size": config.count, "digest": configDigest.description],
            "layers": layers.map { ["mediaType": $0.mediaType.rawValue, "size": $0.size, "digest": $0.digest.description] },
        ]
        let bytes = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        do { return (try Manifest(bytes: bytes, declaredType: .dockerManifest), places) } catch {
            throw .badResponse(what: what, reason: error.description)
        }
    }

    private func entry(_ entryPath: String, limit: Int) async throws(RegistryError) -> Data {
        try await FileIO.onThread { [path, what] () throws(RegistryError) -> Data in
            let tar = try TarReader(path: path, what: what)
            guard try tar.seek(to: entryPath) != nil else { throw .notFound(what: "\(entryPath) in \(what)", details: []) }
            return try tar.data(limit: limit)
        }
    }

    /// Where blob `digest` is in the archive, for any image it lists.
    private func place(of digest: Digest) async throws(RegistryError) -> String {
        let (images, sizes) = try await contents()
        for image in images {
            let (_, places) = try await synthesize(image, sizes: sizes)
            if let found = places[digest] { return found }
        }
        throw .notFound(what: "blob \(digest) in \(what)", details: [])
    }

    // MARK: Reading

    public func manifest(_ id: ManifestID) async throws(RegistryError) -> Manifest {
        let (images, sizes) = try await contents()
        if case .digest(let digest) = id {
            for image in images {
                let (manifest, _) = try await synthesize(image, sizes: sizes)
                if manifest.digest == digest { return manifest }
            }
        }
        return try await synthesize(image(id, in: images), sizes: sizes).0
    }

    public func rawManifest(_ id: ManifestID) async throws(RegistryError) -> Data { try await manifest(id).bytes }
    public func describe(_ id: ManifestID) async throws(RegistryError) -> Descriptor? {
        do { return try await manifest(id).descriptor } catch {
            if case .notFound = error { return nil }
            throw error
        }
    }
    public func tags() async throws(RegistryError) -> NameList { NameList(names: try await contents().0.flatMap { $0.RepoTags ?? [] }) }
    public func referrers(of digest: Digest) async throws(RegistryError) -> [Descriptor] { [] }

    public func blobData(_ digest: Digest, limit: Int) async throws(RegistryError) -> Data {
        let bytes = try await entry(place(of: digest), limit: limit)
        let actual = Digest.of(bytes, algorithm: digest.algorithm)
        guard actual == digest else { throw .digestMismatch(what: "blob \(digest) in \(what)", expected: digest, actual: actual) }
        return bytes
    }

    public func readBlob(_ blob: Descriptor, into pipe: BytePipe) async throws(RegistryError) {
        let entryPath = try await place(of: blob.digest)
        try await FileIO.onThread { [path, what] () throws(RegistryError) in
            let tar = try TarReader(path: path, what: what)
            guard try tar.seek(to: entryPath) != nil else { throw .notFound(what: "\(entryPath) in \(what)", details: []) }
            try tar.blocks { chunk throws(RegistryError) in
                do { try pipe.write(chunk) } catch { throw RegistryError(bridging: error) }
            }
        }
    }

    // MARK: Writing: none

    public var holdsRegistryManifests: Bool { false }
    public var parallelWrites: Int { 1 }
    public func blobSize(_ digest: Digest) async throws(RegistryError) -> Int64? { throw readOnly() }
    public func mayHaveContent() async throws(RegistryError) -> Bool { throw readOnly() }
    public func putBlob(_ blob: Descriptor, reading: () async throws(RegistryError) -> Data) async throws(RegistryError) {
        throw readOnly()
    }
    public func writeBlob(_ blob: Descriptor, from pipe: BytePipe) async throws(RegistryError) {
        pipe.fail(readOnly())
        throw readOnly()
    }
    public func putManifest(_ manifest: Manifest, as placement: Placement) async throws(RegistryError) { throw readOnly() }
    public func commit() async throws(RegistryError) {}
    public func discard() async {}
}
