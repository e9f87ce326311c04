import Foundation
import OCI
import Registry

/// A manifest in a store: by tag, by digest, or the only one (a layout or archive holding one image).
public enum ManifestID: Hashable, Sendable, CustomStringConvertible {
    case tag(String)
    case digest(Digest)
    case only

    public var description: String {
        switch self {
        case .tag(let tag): tag
        case .digest(let digest): digest.description
        case .only: "its only image"
        }
    }
}

extension ImageRef {
    /// The manifest this reference names in its store.
    public var manifestID: ManifestID { digest.map(ManifestID.digest) ?? tag.map(ManifestID.tag) ?? .only }
}

/// Where a manifest goes when it is written: what decides whether a layout lists it.
public enum Placement: Sendable, Equatable {
    /// Below another manifest (an index's child): stored, not listed.
    case child
    /// An artifact whose subject is an image: listed so it can be found (a layout's index).
    case referrer
    /// What a copy was asked for: under `tag`, or by digest alone when it is nil.
    case root(tag: String?)
}

/// A place images live: one repository of a registry, an OCI image layout, an OCI archive, or a
/// container engine's archive. The copy engine, `inspect`, `diff`, `files` and the TUI read and
/// write through this, never through HTTP or files directly. Every read is checked against its
/// digest; every write is verified before it becomes visible.
public protocol ImageStore: AnyObject, Sendable {
    /// The store and repository, without tag: `host/repo`, `oci:/path`.
    var location: ImageRef { get }

    /// The manifest `id` names, its bytes exactly as stored and checked against their digest.
    func manifest(_ id: ManifestID) async throws(RegistryError) -> Manifest
    /// The bytes alone, not interpreted (what `regtui manifest` prints).
    func rawManifest(_ id: ManifestID) async throws(RegistryError) -> Data
    /// What `id` points at without fetching it where the store can; nil when absent.
    func describe(_ id: ManifestID) async throws(RegistryError) -> Descriptor?
    /// Every tag.
    func tags() async throws(RegistryError) -> NameList
    /// The manifests whose `subject` is `digest` (signatures, SBOMs).
    func referrers(of digest: Digest) async throws(RegistryError) -> [Descriptor]
    /// A small blob (a config) read into memory and checked, at most `limit` bytes.
    func blobData(_ digest: Digest, limit: Int) async throws(RegistryError) -> Data
    /// Streams a blob into `pipe`, which hashes and counts it; resumes where the store can.
    func readBlob(_ blob: Descriptor, into pipe: BytePipe) async throws(RegistryError)

    /// Whether manifests here are exact bytes as a registry serves them. A container engine's
    /// archive holds none: regtui rebuilds one from its `manifest.json` to read it, so nothing is
    /// written into it, and a copy from it could keep no digest.
    var holdsRegistryManifests: Bool { get }
    /// How many blobs may be written at once (an archive writes one entry at a time).
    var parallelWrites: Int { get }
    /// The size of a blob here, or nil when absent.
    func blobSize(_ digest: Digest) async throws(RegistryError) -> Int64?
    /// Whether blobs or manifests may already be here: false for a repository that does not
    /// exist yet, so a copy can skip asking about each.
    func mayHaveContent() async throws(RegistryError) -> Bool
    /// Writes a small blob whose bytes, verified, `reading` returns. A registry opens its upload
    /// session while they are read, so the two round trips overlap.
    func putBlob(_ blob: Descriptor, reading: () async throws(RegistryError) -> Data) async throws(RegistryError)
    /// Writes a blob as it streams through `pipe`; it becomes visible only once the pipe has
    /// verified it, and nothing is left behind when it fails.
    func writeBlob(_ blob: Descriptor, from pipe: BytePipe) async throws(RegistryError)
    /// Writes a manifest's exact bytes, placed as `placement` says.
    func putManifest(_ manifest: Manifest, as placement: Placement) async throws(RegistryError)
    /// Makes everything written visible at once (an archive is renamed into place); a no-op
    /// where each write already is.
    func commit() async throws(RegistryError)
    /// Drops what was written and not committed.
    func discard() async
}

extension ImageStore {
    /// Writes a small blob, already verified.
    public func putBlob(_ blob: Descriptor, bytes: Data) async throws(RegistryError) {
        try await putBlob(blob) { () throws(RegistryError) in bytes }
    }

    /// What a store that takes no writes answers to each.
    func readOnly() -> RegistryError {
        .refused(what: location.name, reason: "a container engine's archive holds no registry manifest, so a copy from it could not keep digests, and regtui does not write into it; load it into the engine and push it, or copy it with skopeo")
    }
}
