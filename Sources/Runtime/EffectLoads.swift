import App
import FileTree
import Foundation
import LayerFiles
import ManifestDiff
import OCI
import Registry
import Stores

extension EffectRunner {
    /// The store a reference is in.
    func store(_ reference: ImageRef) -> any ImageStore { Stores.open(reference, client: client) }

    /// Fetches what `load` asks for, as request `id` (whose progress, for a files view, is posted
    /// as it streams).
    func answer(_ load: Load, id: RequestID) async throws(RegistryError) -> Answer {
        let post = self.post
        switch load {
        case .catalog(let registry, let next):
            // A layout or archive holds one repository: itself.
            if let file = try? ImageRef(parsingRepository: registry), file.kind.isFile {
                return .catalog(names: [file.location], next: nil)
            }
            do throws(RegistryError) {
                let page = try await client.catalogPage(registry, next: next)
                return .catalog(names: page.items, next: page.next)
            } catch {
                if case .catalogUnavailable = error { return .catalogUnavailable }
                throw error
            }
        case .tags(let repository):
            return .tags(try await store(repository).tags().names)
        case .summary(let reference):
            let found: (digest: Digest, summary: ManifestSummary)?
            do {
                found = try await summarySlots.run { () throws(RegistryError) in
                    try await store(reference).summary(ofTag: reference.tag ?? "", cache: summaries)
                }
            } catch {
                throw RegistryError(bridging: error)
            }
            guard let found else { throw .notFound(what: "tag \(reference)", details: []) }
            return .summary(found.digest, found.summary)
        case .deletePlan(let target):
            guard let repository = target.registryReference else {
                throw .refused(what: target.description, reason: "regtui deletes from registries only")
            }
            return .deletePlan(try await DeletePlan.make(for: repository, in: RegistryStore(client: client, repository: repository)))
        case .tree(let reference):
            return .tree(try await store(reference).tree(reference.manifestID, displayName: reference.description))
        case .diff(let a, let b):
            async let left = store(a).tree(a.manifestID, displayName: a.description)
            async let right = store(b).tree(b.manifestID, displayName: b.description)
            do {
                let comparison = ManifestComparison(try await left, try await right)
                return .diff(comparison, comparison.json())
            } catch {
                throw RegistryError(bridging: error)
            }
        case .destination(let source, let destination):
            guard let digest = try await store(source).describe(source.manifestID)?.digest else {
                throw .notFound(what: "manifest \(source)", details: [])
            }
            var current: Digest?
            if let tag = destination.tag {
                do throws(RegistryError) { current = try await store(destination).describe(.tag(tag))?.digest } catch {
                    guard case .notFound = error else { throw error }
                }
            }
            return .destination(source: digest, current: current)
        case .files(let image, let source):
            let files = try await ImageFiles.open(store(image), image.manifestID, platform: nil)
            let batches: LayerReader.Batches = { post(.files(id, .entries($0))) }
            switch source {
            case .merged:
                try await files.stream(batches: batches) { post(.files(id, .layerVerified($0))) }
            case .layer(let position):
                _ = try await files.layer(position, batches: batches)
                post(.files(id, .layerVerified(position)))
            }
            return .filesRead
        case .fileContent(let image, let layer, let path):
            let files = try await ImageFiles.open(store(image), image.manifestID, platform: nil)
            let content = FirstBytes(limit: FileContent.limit)
            try await files.extract(path, layer: layer, into: content.append)
            return .fileContent(content.bytes, size: content.total)
        case .fileChanges(let a, let b):
            async let left = ImageFiles.open(store(a), a.manifestID, platform: nil)
            async let right = ImageFiles.open(store(b), b.manifestID, platform: nil)
            let imageA: ImageFiles, imageB: ImageFiles
            do { (imageA, imageB) = try await (left, right) } catch { throw RegistryError(bridging: error) }
            let scope = imageA.platform.map { "the \($0) image of each" }
            return .fileChanges(try await imageA.changes(to: imageB), scope: scope)
        case .repository(let repository):
            if let registry = repository.registryReference { return .repository(exists: try await client.repositoryExists(registry)) }
            do throws(RegistryError) { _ = try await store(repository).tags() } catch {
                if case .notFound = error { return .repository(exists: false) }
                throw error
            }
            return .repository(exists: true)
        }
    }
}

/// The first `limit` bytes of a stream, and how many passed in all.
private final class FirstBytes: @unchecked Sendable {
    let limit: Int
    private let lock = NSLock()
    private var kept = Data()
    private var count: Int64 = 0

    init(limit: Int) { self.limit = limit }

    var bytes: Data { lock.withLock { kept } }
    var total: Int64 { lock.withLock { count } }

    func append(_ chunk: UnsafeRawBufferPointer) {
        lock.withLock {
            count &+= Int64(chunk.count)
            let room = limit - kept.count
            if room > 0 { kept.append(contentsOf: chunk.prefix(room)) }
        }
    }
}
