import Foundation
import OCI
import Registry
import TransferModel
import Synchronization

/// How a copy behaves.
public struct CopyOptions: Sendable {
    /// Copy only these platforms of an index (empty: everything).
    public var platforms: [Platform]
    /// Also copy the artifacts that refer to the image (signatures, SBOMs, attestations).
    public var referrers: Bool
    /// Blobs moved at once.
    public var jobs: Int
    /// Attempts per blob for transient failures (dropped connections, stale upload sessions).
    public var attempts: Int

    /// The default number of parallel blob transfers, chosen by measurement (see bench/copy).
    public static let defaultJobs = 8

    public init(platforms: [Platform] = [], referrers: Bool = false, jobs: Int = CopyOptions.defaultJobs, attempts: Int = 3) {
        self.platforms = platforms
        self.referrers = referrers
        self.jobs = max(1, jobs)
        self.attempts = max(1, attempts)
    }
}

/// Copies images between repositories and registries, byte for byte, so every digest is kept.
///
/// Order: blobs, then child manifests by digest, then the top manifest by digest, then referrers
/// (with the destination's fallback tag index), and only then the tag — the commit point — so a
/// failure at any point leaves every destination tag as it was. Every blob is hashed on the way
/// and a mismatch aborts its upload. Blobs already at the destination are skipped, blobs in
/// another repository of the same registry are mounted, and a blob shared by several manifests
/// (or several copies run by one `Copier`) moves once.
public final class Copier: Sendable {
    public let client: RegistryClient
    public let options: CopyOptions
    let observer: TransferObserver
    let blobs = Ledger<BlobOutcome>()
    let manifests = Ledger<Void>()
    let limiter: Limiter

    public init(client: RegistryClient, options: CopyOptions = CopyOptions(), observer: @escaping TransferObserver = { _ in }) {
        self.client = client
        self.options = options
        self.observer = observer
        self.limiter = Limiter(limit: options.jobs)
    }

    /// Copies what `source` names to `destination`. A destination without tag or digest takes
    /// the source's tag; one with a digest only is written by digest, untagged.
    public func copy(from source: Reference, to destination: Reference) async throws(RegistryError) -> CopyResult {
        let top = try await client.manifest(source)
        let (result, root) = try await copyContent(top, from: source, to: destination)
        if let tag = destination.tag { try await self.tag(root, tag, at: destination) }
        return result
    }

    /// Copies `top` (fetched from `source`) and everything below it, and its referrers when asked,
    /// to `destination` by digest. Writes no tag.
    /// Returns what it did and the manifest the tag is to point at.
    private func copyContent(_ top: Manifest, from source: Reference,
                             to destination: Reference) async throws(RegistryError) -> (CopyResult, Manifest) {
        let root = try await selectPlatforms(top, source: source)
        var result = CopyResult(source: source, destination: destination, sourceDigest: top.digest, digest: root.digest)
        let counters = Counters()
        if try await client.manifestDescriptor(destination.with(tag: nil, digest: root.digest)) != nil {
            observer(.alreadyPresent(root.digest))
            result.alreadyPresent = true
        } else {
            try await transferTree(root, from: source, to: destination, counters: counters)
        }
        if options.referrers {
            result.referrersCopied = try await copyReferrers(of: root.digest, from: source, to: destination, counters: counters)
        }
        counters.fill(&result)
        return (result, root)
    }

    /// Points `tag` at `manifest`: the last write of a copy.
    private func tag(_ manifest: Manifest, _ tag: String, at destination: Reference) async throws(RegistryError) {
        try await client.putManifest(manifest, to: destination.with(tag: tag))
        observer(.tagged(destination.with(tag: tag), manifest.digest))
    }

    /// Copies every tag of `source` into `destination`. Tags are resolved first; each distinct
    /// manifest is copied once, by digest; only when all content is in are the tags written.
    public func copyAllTags(from source: Reference, to destination: Reference) async throws(RegistryError) -> [CopyResult] {
        let tags = try await client.tags(source).names
        let resolved = try await concurrentMap(tags, limit: options.jobs) { (tag) throws(RegistryError) in
            (tag, try await self.client.manifest(source.with(tag: tag)))
        }
        let groups = Dictionary(grouping: resolved, by: { $0.1.digest }).values.map { $0.sorted { $0.0 < $1.0 } }
        let copied = try await concurrentMap(groups, limit: options.jobs) { (members) throws(RegistryError) in
            let (firstTag, manifest) = members[0]
            return try await self.copyContent(manifest, from: source.with(tag: firstTag), to: destination.with(tag: firstTag))
        }
        var results: [CopyResult] = []
        for (members, (first, root)) in zip(groups, copied) {
            for (position, (tag, _)) in members.enumerated() {
                try await self.tag(root, tag, at: destination)
                var result = position == 0 ? first : CopyResult(source: source.with(tag: tag), destination: destination.with(tag: tag),
                                                                sourceDigest: first.sourceDigest, digest: first.digest)
                if position > 0 { result.alreadyPresent = true }
                results.append(result)
            }
        }
        return results.sorted { $0.source < $1.source }
    }

    // MARK: - Planning

    /// With `--platform`: the one matching child manifest (its digest kept), or a new index of
    /// the matching children (a new digest) — saying so either way.
    private func selectPlatforms(_ top: Manifest, source: Reference) async throws(RegistryError) -> Manifest {
        guard !options.platforms.isEmpty else { return top }
        guard let index = top.index else {
            observer(.notice("\(source) is a single-platform manifest; --platform has nothing to select"))
            return top
        }
        let chosen = index.entries(matching: options.platforms)
        guard !chosen.isEmpty else {
            throw .notFound(what: "platform \(options.platforms.map(\.description).joined(separator: ", ")) in \(source) (it offers: \(index.offered))", details: [])
        }
        if chosen.count == 1 {
            let child = try await client.manifest(source.with(tag: nil, digest: chosen[0].digest))
            observer(.notice("copying only \(chosen[0].platform!): the destination gets that platform's manifest \(child.digest); the index digest \(top.digest) cannot be kept"))
            return child
        }
        guard var object = (try? JSONSerialization.jsonObject(with: top.bytes)) as? [String: Any],
              let entries = object["manifests"] as? [[String: Any]] else {
            throw .badResponse(what: "index \(source)", reason: "cannot read its manifests list")
        }
        let keep = Set(chosen.map(\.digest.description))
        object["manifests"] = entries.filter { keep.contains($0["digest"] as? String ?? "") }
        let bytes = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        let filtered: Manifest
        do { filtered = try Manifest(bytes: bytes, declaredType: top.mediaType) } catch {
            throw .badResponse(what: "index \(source)", reason: error.description)
        }
        observer(.notice("copying \(chosen.count) of \(index.manifests.count) platforms: the destination gets a new index \(filtered.digest); the source index digest \(top.digest) cannot be kept"))
        return filtered
    }

    /// Every manifest below `root` (children before parents) and every blob, each once.
    private func plan(_ root: Manifest, from source: Reference) async throws(RegistryError) -> (manifests: [Manifest], blobs: [Descriptor]) {
        var manifests: [Manifest] = []
        var blobs: [Descriptor] = []
        var seenBlobs = Set<Digest>()
        var seenManifests = Set<Digest>()
        func visit(_ manifest: Manifest, depth: Int) async throws(RegistryError) {
            guard seenManifests.insert(manifest.digest).inserted else { return }
            switch manifest.content {
            case .index(let index):
                guard depth < Limits.indexDepth else {
                    throw .tooLarge(what: "index \(manifest.digest) in \(source)", reason: "indexes nest more than \(Limits.indexDepth) levels deep")
                }
                let children = try await client.children(of: index, in: source)
                for entry in index.manifests {
                    if let child = children[entry.digest] { try await visit(child, depth: depth + 1) }
                }
            case .image(let image):
                for blob in image.blobs where seenBlobs.insert(blob.digest).inserted { blobs.append(blob) }
            case .schema1:
                throw .badResponse(what: "\(source)", reason: "Docker schema 1 manifests are read-only in regtui; convert the image with its original tool")
            }
            manifests.append(manifest)
        }
        try await visit(root, depth: 0)
        return (manifests, blobs)
    }

    // MARK: - Executing

    /// Blobs (in parallel), then manifests by digest, children first.
    private func transferTree(_ root: Manifest, from source: Reference, to destination: Reference,
                              counters: Counters) async throws(RegistryError) {
        let (manifests, blobs) = try await plan(root, from: source)
        let bytes: Int64
        do { bytes = try Descriptor.totalSize(blobs, in: "\(source)") } catch {
            throw .badResponse(what: "\(source)", reason: error.description)
        }
        observer(.planned(source: source, manifests: manifests.count, blobs: blobs.count, bytes: bytes))
        // A repository that does not exist yet has no blobs: no need to ask about each.
        let checkPresence = source.registry == destination.registry ? true : try await client.repositoryExists(destination)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for blob in blobs {
                    group.addTask {
                        let (outcome, first) = try await self.blobs.value(for: "\(destination.name)@\(blob.digest)") {
                            try await self.limiter.run {
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
            let target = destination.with(tag: nil, digest: manifest.digest)
            let first: Bool
            do {
                (_, first) = try await self.manifests.value(for: target.description) {
                    try await self.client.putManifest(manifest, to: target)
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

    /// Copies the artifacts whose subject is `digest`, and keeps the destination's fallback tag
    /// index (`sha256-HEX`) listing them when it lacks the referrers API.
    private func copyReferrers(of digest: Digest, from source: Reference, to destination: Reference,
                               counters: Counters) async throws(RegistryError) -> Int {
        let referrers = try await client.referrers(source, of: digest)
        guard !referrers.isEmpty else { return 0 }
        for referrer in referrers {
            let artifact = try await client.manifest(source.with(tag: nil, digest: referrer.digest))
            if try await client.manifestDescriptor(destination.with(tag: nil, digest: artifact.digest)) == nil {
                try await transferTree(artifact, from: source, to: destination, counters: counters)
            }
        }
        if try await client.hasReferrersAPI(destination, probe: digest) { return referrers.count }
        let tag = RegistryClient.referrersTag(for: digest)
        var existing: Manifest?
        do { existing = try await client.manifest(destination.with(tag: tag)) } catch {
            guard case .notFound = error else { throw error }
        }
        let listed = Set(existing?.index?.manifests.map(\.digest) ?? [])
        let missing = referrers.filter { !listed.contains($0.digest) }
        guard !missing.isEmpty else { return referrers.count }
        let sourceIndex = try? await client.manifest(source.with(tag: tag))
        let index: Manifest
        if existing == nil, let sourceIndex, Set(sourceIndex.index?.manifests.map(\.digest) ?? []) == Set(referrers.map(\.digest)) {
            index = sourceIndex
        } else {
            let all = (existing?.index?.manifests ?? []) + missing
            let value = ImageIndex(manifests: all)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            do { index = try Manifest(bytes: try encoder.encode(value), declaredType: .ociIndex) } catch {
                throw .badResponse(what: "referrers index for \(digest)", reason: "\(error)")
            }
        }
        try await client.putManifest(index, to: destination.with(tag: tag))
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
/// destination repository, so each happens once however many manifests or tags share it.
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
