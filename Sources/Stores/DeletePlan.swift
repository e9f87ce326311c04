import Foundation
import OCI
import Registry

extension DeletePlan {
    /// Tags resolved at once.
    public static let parallelLookups = 8

    /// The plan for what `reference` names: its digest, or the manifest its tag points at now.
    public static func make(for reference: Reference, in store: RegistryStore) async throws(RegistryError) -> DeletePlan {
        if let digest = reference.digest { return try await make(for: digest, in: store) }
        guard let found = try await store.describe(.tag(reference.identifier))?.digest else {
            throw .notFound(what: "tag \(reference)", details: [])
        }
        return try await make(for: found, in: store)
    }

    /// Reads every tag of the repository (each resolved with one HEAD, a few at a time), every
    /// index a tag points at (each once, for what it lists), the manifest and its referrers.
    public static func make(for digest: Digest, in store: RegistryStore) async throws(RegistryError) -> DeletePlan {
        let manifest = try await store.manifest(.digest(digest))
        let names = try await store.tags().names
        let resolved = try await concurrentMap(names, limit: Self.parallelLookups) { (tag) throws(RegistryError) in
            (tag, try await store.describe(.tag(tag)))
        }
        let tagged = Set(resolved.compactMap { $0.1?.digest })
        var seen = Set<Digest>()
        let indexes = resolved.compactMap(\.1).filter { $0.mediaType.isIndex && $0.digest != digest && seen.insert($0.digest).inserted }
        let children = manifest.index?.manifests ?? []
        let childDigests = Set(children.map(\.digest))
        // Of each index, only what the plan needs: whether it lists the manifest, and which of the
        // manifest's children it lists. Keeping all it lists would cost memory by the tags times
        // the children (a registry can tag thousands of indexes of thousands of children each).
        let listed = try await concurrentMap(indexes, limit: Self.parallelLookups) { (index) throws(RegistryError) in
            let listing = try await store.manifest(.digest(index.digest)).index?.manifests ?? []
            return (index: index.digest, listsManifest: listing.contains { $0.digest == digest },
                    children: Set(listing.lazy.map(\.digest).filter(childDigests.contains)))
        }
        let parents = listed.filter(\.listsManifest).map { parent in
            Parent(digest: parent.index, tags: resolved.filter { $0.1?.digest == parent.index }.map(\.0))
        }
        let listedElsewhere = listed.reduce(into: Set<Digest>()) { $0.formUnion($1.children) }
        return DeletePlan(repository: store.repository.with(tag: nil, digest: digest), digest: digest, mediaType: manifest.mediaType,
                          tags: resolved.filter { $0.1?.digest == digest }.map(\.0),
                          orphans: children.filter { !tagged.contains($0.digest) && !listedElsewhere.contains($0.digest) },
                          referrers: try await store.referrers(of: digest), parents: parents)
    }

    /// Deletes what this plan shows, once a person confirmed it: `tag` alone (the registry's
    /// tag delete; a placeholder when other tags share the digest and `placeholder` allows it;
    /// the manifest with it when it is the digest's only tag and the registry deletes by digest
    /// only), or with no tag the manifest. Before a manifest goes, the repository is read again:
    /// if a tag, child, parent or referrer appeared or went since the plan, nothing is deleted.
    public func execute(tag: String?, placeholder: Bool, in store: RegistryStore) async throws(RegistryError) -> DeleteMethod {
        if let tag {
            let others = othersSharing(tag)
            if !others.isEmpty {
                guard placeholder else {
                    throw .unsupported(what: "nothing was deleted", reason: "the tag shares \(digest) with \(others.joined(separator: ", ")), which a registry deletes by digest all together. Pass --placeholder to delete only this tag through a placeholder manifest")
                }
                try await Self.deleteThroughPlaceholder(tag, in: store)
                return .placeholder
            }
            if try await store.client.deleteManifest(store.repository.with(tag: tag)) == .deleted { return .tag }
        }
        try await stillAsPlanned(in: store)
        _ = try await store.client.deleteManifest(store.repository.with(tag: nil, digest: digest))
        return .digest
    }

    /// Refuses when the repository no longer matches the plan a person confirmed.
    private func stillAsPlanned(in store: RegistryStore) async throws(RegistryError) {
        let now = try await Self.make(for: digest, in: store)
        guard Set(now.tags) == Set(tags), Set(now.orphans.map(\.digest)) == Set(orphans.map(\.digest)),
              Set(now.referrers.map(\.digest)) == Set(referrers.map(\.digest)), Set(now.parents.map(\.digest)) == Set(parents.map(\.digest)) else {
            throw .refused(what: "nothing was deleted", reason: "\(repository.name) changed since the plan was made (tags on the digest now: \(now.tags.isEmpty ? "none" : now.tags.joined(separator: ", "))); look at the plan again")
        }
    }

    /// Points `tag` at a placeholder manifest no other tag can share (it names the tag and a
    /// random value), then deletes the placeholder by digest. Its 2-byte config blob stays.
    private static func deleteThroughPlaceholder(_ tag: String, in store: RegistryStore) async throws(RegistryError) {
        let empty = Data("{}".utf8)
        try await store.putBlob(Descriptor(mediaType: .ociEmpty, digest: Digest.of(empty), size: Int64(empty.count)), bytes: empty)
        let text = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.regtui.placeholder","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"\#(Digest.of(empty))","size":2},"layers":[],"annotations":{"io.regtui.placeholder":"\#(tag) \#(UUID().uuidString)"}}"#
        let manifest: Manifest
        do { manifest = try Manifest(bytes: Data(text.utf8)) } catch { throw .unexpected("the placeholder manifest: \(error)") }
        try await store.putManifest(manifest, as: .root(tag: tag))
        _ = try await store.client.deleteManifest(store.repository.with(tag: nil, digest: manifest.digest))
    }
}

extension ImageStore {
    /// Points each of `tags` at the manifest `id` names, by writing its exact bytes under the
    /// tag: no blob moves. Returns each tag with the digest it pointed at before, when that was
    /// another one. Everything or nothing becomes visible (an archive is written whole).
    public func addTags(_ tags: [String], to id: ManifestID) async throws(RegistryError) -> (manifest: Manifest, moved: [String: Digest]) {
        guard holdsRegistryManifests else {
            throw .refused(what: location.name, reason: "regtui does not write into a container engine's archive")
        }
        let manifest = try await self.manifest(id)
        var moved: [String: Digest] = [:]
        do {
            for tag in tags {
                let current = try await describe(.tag(tag))?.digest
                if current != manifest.digest { try await putManifest(manifest, as: .root(tag: tag)) }
                if let current, current != manifest.digest { moved[tag] = current }
            }
            try await commit()
        } catch {
            await discard()
            throw error
        }
        return (manifest, moved)
    }
}
