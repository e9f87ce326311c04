import App
import Foundation
import ManifestDiff
import OCI
import Registry
import Synchronization
import Transfer
import TransferModel

/// Actions waiting for the UI thread, and a pipe that wakes it when one arrives.
final class Mailbox: Sendable {
    private let actions = Mutex<[Action]>([])
    /// Read end: the UI thread polls it. Write end: one byte per post.
    let wakeRead: Int32
    private let wakeWrite: Int32

    init() {
        var fds: [Int32] = [0, 0]
        pipe(&fds)
        _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
        _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    func post(_ action: Action) {
        actions.withLock { $0.append(action) }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Everything posted so far, in order; empties the pipe too.
    func drain() -> [Action] {
        var scratch = [UInt8](repeating: 0, count: 256)
        while read(wakeRead, &scratch, scratch.count) > 0 {}
        return actions.withLock { actions in
            defer { actions.removeAll() }
            return actions
        }
    }
}

/// Runs the UI's effects on the network, concurrently, and posts their answers as actions.
/// Never touches the terminal.
final class EffectRunner: Sendable {
    let client: RegistryClient
    let mailbox: Mailbox
    private let copies = Mutex<[Int: Task<Void, Never>]>([:])
    private let digestSlots = Limiter(limit: 8)

    init(client: RegistryClient, mailbox: Mailbox) {
        self.client = client
        self.mailbox = mailbox
    }

    func run(_ effect: Effect) {
        let client = self.client, mailbox = self.mailbox
        switch effect {
        case .loadCatalog(let registry, let next):
            Task.detached {
                do throws(RegistryError) {
                    let page = try await client.catalogPage(registry, next: next)
                    mailbox.post(.catalogLoaded(registry: registry, names: page.items, next: page.next, appended: next != nil))
                } catch {
                    if case .catalogUnavailable = error {
                        mailbox.post(.catalogFailed(registry: registry, message: "this registry does not list its repositories", unavailable: true))
                    } else {
                        mailbox.post(.catalogFailed(registry: registry, message: error.description, unavailable: false))
                    }
                }
            }
        case .loadTags(let repository):
            Task.detached {
                do throws(RegistryError) { mailbox.post(.tagsLoaded(repository: repository.name, tags: try await client.tags(repository).names)) } catch {
                    mailbox.post(.tagsFailed(repository: repository.name, message: error.description))
                }
            }
        case .loadDigest(let reference):
            let slots = digestSlots
            Task.detached {
                if let digest = try? await slots.run({ try await client.resolveDigest(reference) }) {
                    mailbox.post(.digestLoaded(reference: reference, digest: digest))
                }
            }
        case .loadTree(let key, let reference):
            Task.detached {
                do throws(RegistryError) { mailbox.post(.treeLoaded(key: key, tree: try await client.tree(reference))) } catch {
                    mailbox.post(.treeFailed(key: key, message: error.description))
                }
            }
        case .loadDiff(let id, let a, let b):
            Task.detached {
                do {
                    async let left = client.tree(a)
                    async let right = client.tree(b)
                    let comparison = ManifestComparison(try await left, try await right)
                    mailbox.post(.diffLoaded(id: id, comparison: comparison, rows: comparison.json()))
                } catch {
                    mailbox.post(.diffFailed(id: id, message: (error as? RegistryError)?.description ?? "\(error)"))
                }
            }
        case .checkDestination(let source, let destination):
            Task.detached {
                do throws(RegistryError) {
                    let sourceDigest = try await client.resolveDigest(source)
                    let current = try await client.manifestDescriptor(destination)?.digest
                    mailbox.post(.destinationChecked(destination: destination, current: current, source: sourceDigest))
                } catch {
                    mailbox.post(.destinationCheckFailed(message: error.description))
                }
            }
        case .startCopy(let id, let source, let destination):
            let copier = Copier(client: client) { mailbox.post(.transfer(id: id, $0)) }
            let task = Task.detached {
                do throws(RegistryError) { mailbox.post(.transferFinished(id: id, result: try await copier.copy(from: source, to: destination))) } catch {
                    mailbox.post(.transferFailed(id: id, message: error.description, cancelled: error.isCancellation))
                }
            }
            copies.withLock { $0[id] = task }
        case .cancelCopy(let id):
            copies.withLock { $0[id] }?.cancel()
        case .setClipboard:
            break  // the UI loop writes it to the terminal
        }
    }
}

extension RegistryError {
    var isCancellation: Bool { if case .cancelled = self { true } else { false } }
}
