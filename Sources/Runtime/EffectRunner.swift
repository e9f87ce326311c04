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

/// Runs the UI's effects concurrently and posts each answer back with its request id. It owns
/// every task it starts: `cancel` stops one, and it knows how many are still running, which is
/// what the runtime's idle signal and its quitting wait on. Never touches the terminal.
final class EffectRunner: Sendable {
    private struct Running {
        /// Requests started and not yet answered.
        var pending: Set<RequestID> = []
        var tasks: [RequestID: Task<Void, Never>] = [:]
        var copies: Set<RequestID> = []
        /// The pull quotas last posted to the UI.
        var rateLimits: [String: RateLimit] = [:]
    }
    let client: RegistryClient
    let post: @Sendable (Action) -> Void
    private let running = Mutex(Running())
    /// Summary lookups for the tags pane, a few at a time.
    let summarySlots = Limiter(limit: Limits.childFetches)
    /// Tags' summaries on disk, by digest.
    let summaries = SummaryCache()

    /// Wakes the UI thread without an action: a request that ended after its answer was handled
    /// may leave the program idle, and the loop must look again.
    private let wake: @Sendable () -> Void

    init(client: RegistryClient, post: @escaping @Sendable (Action) -> Void, wake: @escaping @Sendable () -> Void) {
        self.client = client
        self.post = post
        self.wake = wake
    }

    /// Requests still running.
    var inFlight: Int { running.withLock { $0.pending.count } }
    /// Whether a copy is still running (a cancelled one too, while it closes its uploads).
    var copying: Bool { running.withLock { !$0.copies.isEmpty } }

    func run(_ effect: Effect) {
        switch effect {
        case .load(let id, let load):
            start(id) { [self] () throws(RegistryError) -> Answer in try await answer(load, id: id) }
        case .delete(let id, let plan, let tag):
            let store = RegistryStore(client: client, repository: plan.repository)
            start(id) { () throws(RegistryError) -> Answer in
                .deleted(try await plan.execute(tag: tag, placeholder: true, in: store))
            }
        case .addTags(let id, let reference, let tags):
            let store = Stores.open(reference, client: client)
            start(id) { () throws(RegistryError) -> Answer in
                let (manifest, moved) = try await store.addTags(tags, to: reference.manifestID)
                return .tagged(manifest.digest, moved: moved)
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
    /// counts as finished, so the runtime never looks idle between the two, and the UI thread is
    /// woken once it has finished, so it never sleeps on work that is no longer there.
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
            let quotas = client.allRateLimits
            let changed = running.withLock { running in
                running.pending.remove(id)
                running.tasks[id] = nil
                running.copies.remove(id)
                defer { running.rateLimits = quotas }
                return running.rateLimits != quotas
            }
            if changed { post(.rateLimits(quotas)) }
            wake()
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
