import App
import Foundation
import Synchronization

/// Actions waiting for the UI thread, and a pipe that wakes it when one arrives (or when a
/// resize or a stop needs it).
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

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    func post(_ action: Action) {
        actions.withLock { $0.append(action) }
        wake()
    }

    /// Wakes the UI thread without an action.
    func wake() {
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

    var isEmpty: Bool { actions.withLock { $0.isEmpty } }
}
