import Foundation
import OCI
import Registry
import Stores
import Synchronization
import TransferModel

/// How a copy behaves.
public struct CopyOptions: Sendable {
    /// Copy only these platforms of an index (empty: everything).
    public var platforms: [Platform]
    /// Also copy the artifacts that refer to the image (signatures, SBOMs, attestations).
    public var referrers: Bool
    /// Refuse to move a destination tag that points at another digest.
    public var noClobber: Bool
    /// Blobs moved at once.
    public var jobs: Int
    /// Attempts per blob for transient failures (dropped connections, stale upload sessions).
    public var attempts: Int

    /// The default number of parallel blob transfers, chosen by measurement (see bench/copy).
    public static let defaultJobs = 8

    public init(platforms: [Platform] = [], referrers: Bool = false, noClobber: Bool = false, jobs: Int = CopyOptions.defaultJobs,
                attempts: Int = 3) {
        self.platforms = platforms
        self.referrers = referrers
        self.noClobber = noClobber
        self.jobs = max(1, jobs)
        self.attempts = max(1, attempts)
    }
}

/// Copies images between stores (registries, OCI layouts, OCI archives), byte for byte, so
/// every digest is kept.
///
/// Order: blobs, then child manifests by digest, then the top manifest, then referrers (with a
/// registry's fallback tag index), and only then the tag — the commit point — and, for an
/// archive, the rename that makes it all visible. A failure at any point leaves every
/// destination tag as it was. Every blob is hashed on the way and a mismatch aborts its write.
/// Blobs already at the destination are skipped, blobs in another repository of the same
/// registry are mounted, and a blob shared by several manifests (or several copies run by one
/// `Copier`) moves once.
public final class Copier: Sendable {
    public let options: CopyOptions
    let observer: TransferObserver
    let blobs = Ledger<BlobOutcome>()
    let manifests = Ledger<Void>()

    public init(options: CopyOptions = CopyOptions(), observer: @escaping TransferObserver = { _ in }) {
        self.options = options
        self.observer = observer
    }

    /// Copies the manifest `sourceID` names in `source` (with everything below it) to
    /// `destination`, under `tag` (or by digest alone when it is nil).
    public func copy(from source: any ImageStore, _ sourceID: ManifestID, to destination: any ImageStore,
                     tag: String?) async throws(RegistryError) -> CopyResult {
        try await committing(from: source, to: destination) { () throws(RegistryError) in
            // What the tag points at now is asked while the source is read: two round trips at once.
            async let pointed = Self.current(tag, at: destination)
            let top = try await source.manifest(sourceID)
            let current = try await pointed.get()
            var (result, root, inPlace) = try await copyContent(top, from: source, id: sourceID, to: destination,
                                                                tag: tag, current: current)
            try await self.tag(root, tag, at: destination, inPlace: inPlace, result: &result)
            return result
        }
    }

    /// Copies every tag of `source` into `destination`. Tags are resolved first; each distinct
    /// manifest is copied once; only when all content is in are the tags written.
    public func copyAllTags(from source: any ImageStore, to destination: any ImageStore) async throws(RegistryError) -> [CopyResult] {
        try await committing(from: source, to: destination) { () throws(RegistryError) in
            let tags = try await source.tags().names
            let resolved = try await concurrentMap(tags, limit: options.jobs) { (tag) throws(RegistryError) in
                (tag, try await source.manifest(.tag(tag)))
            }
            let groups = Dictionary(grouping: resolved, by: { $0.1.digest }).values.map { $0.sorted { $0.0 < $1.0 } }
            let copied = try await concurrentMap(groups, limit: options.jobs) { (members) throws(RegistryError) in
                let (firstTag, manifest) = members[0]
                let current = try await Self.current(firstTag, at: destination).get()
                return try await self.copyContent(manifest, from: source, id: .tag(firstTag), to: destination,
                                                  tag: firstTag, current: current)
            }
            var results: [CopyResult] = []
            for (members, (first, root, firstInPlace)) in zip(groups, copied) {
                for (position, (tag, _)) in members.enumerated() {
                    var result = first, inPlace = firstInPlace
                    if position > 0 {
                        result = CopyResult(source: source.location.with(tag: tag), destination: destination.location.with(tag: tag),
                                            sourceDigest: first.sourceDigest, digest: first.digest)
                        result.alreadyPresent = true
                        let current = try await Self.current(tag, at: destination).get()
                        inPlace = try self.checkTag(tag, current: current, at: destination, for: root.digest, result: &result)
                    }
                    try await self.tag(root, tag, at: destination, inPlace: inPlace, result: &result)
                    results.append(result)
                }
            }
            return results.sorted { $0.source < $1.source }
        }
    }

    /// Runs a copy into `destination`, then makes it visible there (`commit`), or drops what it
    /// wrote when it fails. A container engine's archive is refused on either side.
    private func committing<T>(from source: any ImageStore, to destination: any ImageStore, _ work: () async throws(RegistryError) -> T) async throws(RegistryError) -> T {
        guard destination.holdsRegistryManifests else { throw .refused(what: destination.location.name, reason: "regtui does not write into a container engine's archive; copy to a registry, an oci: layout or an oci-archive: file") }
        guard source.holdsRegistryManifests else {
            throw .refused(what: destination.location.name, reason: "\(source.location.name) is a container engine's archive: it holds uncompressed layers and no registry manifest (the one regtui shows is rebuilt from it), so no digest could be kept. Load it into the engine and push it (podman load -i FILE; podman push), or ask skopeo to convert it")
        }
        do {
            let value = try await work()
            try await destination.commit()
            return value
        } catch {
            await destination.discard()
            throw error
        }
    }

    /// Copies `top` (fetched from `source` as `id`) and everything below it, and its referrers
    /// when asked. Writes no tag. Returns what it did and the manifest the tag is to point at.
    private func copyContent(_ top: Manifest, from source: any ImageStore, id: ManifestID, to destination: any ImageStore,
                             tag: String?, current: Digest?) async throws(RegistryError) -> (CopyResult, Manifest, inPlace: Bool) {
        let (root, chosen) = try await selectPlatforms(top, source: source)
        var result = CopyResult(source: source.location.with(tag: Self.tagName(of: id), digest: top.digest),
                                destination: destination.location.with(tag: tag, digest: tag == nil ? root.digest : nil),
                                sourceDigest: top.digest, digest: root.digest)
        result.platforms = chosen
        let inPlace = try checkTag(tag, current: current, at: destination, for: root.digest, result: &result)
        let counters = Counters()
        if inPlace {
            result.alreadyPresent = true
        } else {
            // A repository that does not exist yet has nothing: no need to ask about each part.
            let populated = try await destination.mayHaveContent()
            if populated, try await destination.describe(.digest(root.digest)) != nil {
                observer(.alreadyPresent(root.digest))
                result.alreadyPresent = true
            } else {
                // With a tag to come, the tag lists the top manifest; without one, it is listed by digest.
                try await transferTree(root, from: source, to: destination, placement: tag == nil ? .root(tag: nil) : .child,
                                       checkPresence: populated, counters: counters)
            }
        }
        if options.referrers {
            result.referrersCopied = try await copyReferrers(of: root.digest, from: source, to: destination, counters: counters)
        }
        counters.fill(&result)
        return (result, root, inPlace)
    }

    /// What `tag` points at in `destination` now (nil: no tag, or no such tag).
    private static func current(_ tag: String?, at destination: any ImageStore) async -> Result<Digest?, RegistryError> {
        guard let tag else { return .success(nil) }
        do throws(RegistryError) { return .success(try await destination.describe(.tag(tag))?.digest) } catch { return .failure(error) }
    }

    /// Weighs what `tag` points at (`current`) before it is written: true when it is `digest`
    /// already; a tag pointing elsewhere is noted as moved, or refused with `--no-clobber`.
    private func checkTag(_ tag: String?, current: Digest?, at destination: any ImageStore, for digest: Digest,
                          result: inout CopyResult) throws(RegistryError) -> Bool {
        guard let tag, let current else { return false }
        if current == digest { return true }
        if options.noClobber {
            throw .refused(what: "\(destination.location.name):\(tag)", reason: "it points at \(current), not \(digest), and --no-clobber keeps it")
        }
        result.movedFrom = current
        return false
    }

    private static func tagName(of id: ManifestID) -> String? { if case .tag(let tag) = id { tag } else { nil } }

    /// Points `tag` at `manifest` (or lists it by digest): the last write of a copy.
    private func tag(_ manifest: Manifest, _ tag: String?, at destination: any ImageStore, inPlace: Bool,
                     result: inout CopyResult) async throws(RegistryError) {
        if inPlace {
            result.nothingToDo = result.manifestsPushed == 0 && result.blobsUploaded == 0 && result.referrersCopied == 0
            return
        }
        if let tag, options.noClobber, let current = try await destination.describe(.tag(tag))?.digest, current != manifest.digest {
            throw .refused(what: "\(destination.location.name):\(tag)", reason: "it was moved to \(current) during the copy, and --no-clobber keeps it")
        }
        try await destination.putManifest(manifest, as: .root(tag: tag))
        if let tag { observer(.tagged(destination.location.with(tag: tag), manifest.digest)) }
    }

    // MARK: - Planning

    /// With `--platform`: the source index itself when every platform is chosen (its digest
    /// kept), the one matching child (its own digest kept), or a new index of the chosen
    /// children (a new digest). Returns what to copy and, when fewer than all, the platforms.
    private func selectPlatforms(_ top: Manifest, source: any ImageStore) async throws(RegistryError) -> (Manifest, [String]?) {
        guard !options.platforms.isEmpty else { return (top, nil) }
        guard let index = top.index else {
            observer(.notice("\(source.location.name) is a single-platform manifest; --platform has nothing to select"))
            return (top, nil)
        }
        let chosen = index.entries(matching: options.platforms)
        guard !chosen.isEmpty else {
            throw .notFound(what: "platform \(options.platforms.map(\.description).joined(separator: ", ")) in \(source.location.name) (it offers: \(index.offered))", details: [])
        }
        if chosen.count == index.manifests.count {
            observer(.notice("every platform of the index was chosen: the index itself is copied, its digest \(top.digest) kept"))
            return (top, nil)
        }
        let names = chosen.map { $0.platform?.description ?? $0.digest.short }
        if chosen.count == 1 { return (try await source.manifest(.digest(chosen[0].digest)), names) }
        guard var object = (try? JSONSerialization.jsonObject(with: top.bytes)) as? [String: Any],
              let entries = object["manifests"] as? [[String: Any]] else {
            throw .badResponse(what: "index \(source.location.name)", reason: "cannot read its manifests list")
        }
        let keep = Set(chosen.map(\.digest.description))
        object["manifests"] = entries.filter { keep.contains($0["digest"] as? String ?? "") }
        let bytes = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        do { return (try Manifest(bytes: bytes, declaredType: top.mediaType), names) } catch {
            throw .badResponse(what: "index \(source.location.name)", reason: error.description)
        }
    }

    /// Every manifest below `root` (children before parents) and every blob, each once.
    private func plan(_ root: Manifest, from source: any ImageStore) async throws(RegistryError) -> (manifests: [Manifest], blobs: [Descriptor]) {
        var manifests: [Manifest] = []
        var blobs: [Descriptor] = []
        var seenBlobs = Set<Digest>()
        var seenManifests = Set<Digest>()
        func visit(_ manifest: Manifest, depth: Int) async throws(RegistryError) {
            guard seenManifests.insert(manifest.digest).inserted else { return }
            switch manifest.content {
            case .index(let index):
                guard depth < Limits.indexDepth else {
                    throw .tooLarge(what: "index \(manifest.digest) in \(source.location.name)", reason: "indexes nest more than \(Limits.indexDepth) levels deep")
                }
                let children = try await source.children(of: index)
                for entry in index.manifests {
                    if let child = children[entry.digest] { try await visit(child, depth: depth + 1) }
                }
            case .image(let image):
                for blob in image.blobs where seenBlobs.insert(blob.digest).inserted { blobs.append(blob) }
            case .schema1:
                throw .badResponse(what: source.location.name, reason: "Docker schema 1 manifests are read-only in regtui; convert the image with its original tool")
            }
            manifests.append(manifest)
        }
        try await visit(root, depth: 0)
        return (manifests, blobs)
    }

    // MARK: - Executing

    /// Blobs (in parallel), then manifests by digest, children first; the root as `placement`.
    /// Without `checkPresence` (a repository with nothing in it yet), no blob is asked about first.
    private func transferTree(_ root: Manifest, from source: any ImageStore, to destination: any ImageStore, placement: Placement,
                              checkPresence: Bool, counters: Counters) async throws(RegistryError) {
        let (manifests, blobs) = try await plan(root, from: source)
        let bytes: Int64
        do throws(OCIError) { bytes = try Descriptor.totalSize(blobs, in: source.location.name) } catch {
            throw .badResponse(what: source.location.name, reason: error.description)
        }
        observer(.planned(source: source.location, manifests: manifests.count, blobs: blobs.count, bytes: bytes))
        let limiter = Limiter(limit: min(options.jobs, destination.parallelWrites))
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for blob in blobs {
                    group.addTask {
                        let (outcome, first) = try await self.blobs.value(for: "\(destination.location.name)@\(blob.digest)") {
                            try await limiter.run {
                                try await self.moveBlob(blob, from: source, to: destination, checkPresence: checkPresence)
                            }
                        }
                        counters.record(first ? outcome : .skipped, size: blob.size)
                    }
                }
                try await group.waitForAll()
            }
        } catch {
            throw RegistryError(bridging: error)
        }
        for manifest in manifests {
            let isRoot = manifest.digest == root.digest
            let first: Bool
            do {
                (_, first) = try await self.manifests.value(for: "\(destination.location.name)@\(manifest.digest)") {
                    try await destination.putManifest(manifest, as: isRoot ? placement : .child)
                }
            } catch {
                throw RegistryError(bridging: error)
            }
            if first {
                counters.recordManifest()
                observer(.manifestPushed(manifest.descriptor))
            }
        }
    }

    /// Copies the artifacts whose subject is `digest`, and keeps a registry destination's
    /// fallback tag index (`sha256-HEX`) listing them when it lacks the referrers API.
    private func copyReferrers(of digest: Digest, from source: any ImageStore, to destination: any ImageStore,
                               counters: Counters) async throws(RegistryError) -> Int {
        let referrers = try await source.referrers(of: digest)
        guard !referrers.isEmpty else { return 0 }
        for referrer in referrers {
            let artifact = try await source.manifest(.digest(referrer.digest))
            if try await destination.describe(.digest(artifact.digest)) == nil {
                try await transferTree(artifact, from: source, to: destination, placement: .referrer,
                                       checkPresence: try await destination.mayHaveContent(), counters: counters)
            } else {
                try await destination.putManifest(artifact, as: .referrer)
            }
        }
        if let registry = destination as? RegistryStore {
            let sourceIndex = await (source as? RegistryStore)?.referrersIndex(of: digest)
            try await registry.indexReferrers(referrers, of: digest, sourceIndex: sourceIndex)
        }
        return referrers.count
    }
}

/// Tallies of one copy, safe to update from the blob tasks.
final class Counters: Sendable {
    private struct Tally {
        var uploaded = 0, mounted = 0, skipped = 0, manifests = 0
        var bytes: Int64 = 0
    }
    private let tally = Mutex(Tally())

    func record(_ outcome: BlobOutcome, size: Int64) {
        tally.withLock { tally in
            switch outcome {
            case .uploaded: tally.uploaded += 1; tally.bytes += size
            case .mounted: tally.mounted += 1
            case .skipped: tally.skipped += 1
            }
        }
    }

    func recordManifest() { tally.withLock { $0.manifests += 1 } }

    func fill(_ result: inout CopyResult) {
        tally.withLock { tally in
            result.blobsUploaded = tally.uploaded
            result.blobsMounted = tally.mounted
            result.blobsSkipped = tally.skipped
            result.bytesUploaded = tally.bytes
            result.manifestsPushed = tally.manifests
        }
    }
}

/// Remembers work a `Copier` has done or is doing — blobs moved, manifests pushed — per
/// destination, so each happens once however many manifests or tags share it.
actor Ledger<Value: Sendable> {
    private var entries: [String: Task<Value, any Error>] = [:]

    /// The value for `key`, running `work` only if nobody has; `first` tells whether this call did it.
    func value(for key: String, work: @escaping @Sendable () async throws -> Value) async throws -> (Value, first: Bool) {
        if let task = entries[key] { return (try await Self.value(of: task), false) }
        let task = Task { try await work() }
        entries[key] = task
        do {
            return (try await Self.value(of: task), true)
        } catch {
            entries[key] = nil
            throw error
        }
    }

    /// Waits for `task`, cancelling it when the waiter is cancelled (it does not inherit that).
    private static func value(of task: Task<Value, any Error>) async throws -> Value {
        try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }
}
