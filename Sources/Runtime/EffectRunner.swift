import App
import Foundation
import ManifestDiff
import OCI
import Registry
import Synchronization
import Transfer
import TransferModel

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
            start(id) { [client, digestSlots] () throws(RegistryError) -> Answer in
                switch load {
                case .catalog(let registry, let next):
                    do throws(RegistryError) {
                        let page = try await client.catalogPage(registry, next: next)
                        return .catalog(names: page.items, next: page.next)
                    } catch {
                        if case .catalogUnavailable = error { return .catalogUnavailable }
                        throw error
                    }
                case .tags(let repository):
                    return .tags(try await client.tags(repository).names)
                case .digest(let reference):
                    do {
                        return .digest(try await digestSlots.run { try await client.resolveDigest(reference) })
                    } catch {
                        throw RegistryError(bridging: error)
                    }
                case .tree(let reference):
                    return .tree(try await client.tree(reference))
                case .diff(let a, let b):
                    async let left = client.tree(a)
                    async let right = client.tree(b)
                    do {
                        let comparison = ManifestComparison(try await left, try await right)
                        return .diff(comparison, comparison.json())
                    } catch {
                        throw RegistryError(bridging: error)
                    }
                case .destination(let source, let destination):
                    let digest = try await client.resolveDigest(source)
                    return .destination(source: digest, current: try await client.manifestDescriptor(destination)?.digest)
                case .repository(let repository):
                    return .repository(exists: try await client.repositoryExists(repository))
                }
            }
        case .copy(let id, let source, let destination):
            let post = self.post
            let copier = Copier(client: client) { post(.transfer(id, $0)) }
            running.withLock { _ = $0.copies.insert(id) }
            start(id) { () throws(RegistryError) -> Answer in .copied(try await copier.copy(from: source, to: destination)) }
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
