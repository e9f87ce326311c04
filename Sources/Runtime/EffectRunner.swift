import App
import FileTree
import Foundation
import LayerFiles
import ManifestDiff
import OCI
import Registry
import Stores
import Synchronization
import Transfer
import TransferModel

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

/// Runs the UI's effects concurrently and posts each answer back with its request id. It owns
/// every task it starts: `cancel` stops one, and it knows how many are still running, which is
/// what the runtime's idle signal and its quitting wait on. Never touches the terminal.
final class EffectRunner: Sendable {
    private struct Running {
        /// Requests started and not yet answered.
        var pending: Set<RequestID> = []
        var tasks: [RequestID: Task<Void, Never>] = [:]
        var copies: Set<RequestID> = []
    }
    private let client: RegistryClient
    private let post: @Sendable (Action) -> Void
    private let running = Mutex(Running())
    /// Digest lookups for visible tags, a few at a time.
    private let digestSlots = Limiter(limit: Limits.childFetches)

    init(client: RegistryClient, post: @escaping @Sendable (Action) -> Void) {
        self.client = client
        self.post = post
    }

    /// Requests still running.
    var inFlight: Int { running.withLock { $0.pending.count } }
    /// Whether a copy is still running (a cancelled one too, while it closes its uploads).
    var copying: Bool { running.withLock { !$0.copies.isEmpty } }

    func run(_ effect: Effect) {
        switch effect {
        case .load(let id, let load):
            start(id) { [client, digestSlots, post] () throws(RegistryError) -> Answer in
                @Sendable func store(_ reference: ImageRef) -> any ImageStore { Stores.open(reference, client: client) }
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
                case .digest(let reference):
                    do {
                        return .digest(try await digestSlots.run { () throws(RegistryError) -> Digest in
                            let described = try await store(reference).describe(reference.manifestID)
                            if let digest = described?.digest { return digest }
                            return try await store(reference).manifest(reference.manifestID).digest
                        })
                    } catch {
                        throw RegistryError(bridging: error)
                    }
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
                        _ = try await files.merged(batches: batches) { post(.files(id, .layerVerified($0))) }
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
        case .copy(let id, let source, let destination):
            let post = self.post
            let copier = Copier { post(.transfer(id, $0)) }
            let from = Stores.open(source, client: client), to = Stores.open(destination, client: client)
            running.withLock { _ = $0.copies.insert(id) }
            start(id) { () throws(RegistryError) -> Answer in
                .copied(try await copier.copy(from: from, source.manifestID, to: to, tag: destination.tag))
            }
        case .cancel(let id):
            running.withLock { $0.tasks[id] }?.cancel()
        case .setClipboard:
            break  // the program writes it to the terminal
        }
    }

    /// Starts `work` as request `id`'s task; its answer (or failure) is posted before the task
    /// counts as finished, so the runtime never looks idle between the two.
    private func start(_ id: RequestID, _ work: @escaping @Sendable () async throws(RegistryError) -> Answer) {
        let post = self.post
        running.withLock { _ = $0.pending.insert(id) }
        let task = Task.detached { [self] in
            do throws(RegistryError) {
                post(.answer(id, try await work()))
            } catch {
                if case .cancelled = error { post(.failed(id, message: error.description, cancelled: true)) } else {
                    post(.failed(id, message: error.description, cancelled: false))
                }
            }
            running.withLock { running in
                running.pending.remove(id)
                running.tasks[id] = nil
                running.copies.remove(id)
            }
        }
        running.withLock { running in
            if running.pending.contains(id) { running.tasks[id] = task }
        }
    }

    /// Cancels every request still running.
    func cancelAll() {
        for task in running.withLock({ Array($0.tasks.values) }) { task.cancel() }
    }
}
