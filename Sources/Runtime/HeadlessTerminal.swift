import Foundation
import Synchronization
import TerminalUI

/// A terminal with no screen: keys are fed in, frames are kept. What the runtime's tests (and
/// the UI benchmark) drive instead of curses.
public final class HeadlessTerminal: TerminalDevice, Sendable {
    private struct State {
        var keys: [Key] = []
        var size: (width: Int, height: Int)
        var frames = 0
        var sent: [String] = []
        var restored = false
    }
    private let state: Mutex<State>
    private let readEnd: Int32
    private let writeEnd: Int32

    public init(width: Int, height: Int) {
        state = Mutex(State(size: (width, height)))
        var fds: [Int32] = [0, 0]
        pipe(&fds)
        _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
        _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// Queues keys for the program to read (use `Program.press`, which counts them).
    func feed(_ keys: [Key]) {
        state.withLock { $0.keys += keys }
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Changes the size the next `resize()` reports (then call `Program.resized()`).
    public func setSize(width: Int, height: Int) { state.withLock { $0.size = (width, height) } }

    public var size: (width: Int, height: Int) { state.withLock { $0.size } }
    public var inputDescriptor: Int32 { readEnd }

    public func readKeys() -> [Key] {
        var scratch = [UInt8](repeating: 0, count: 256)
        while read(readEnd, &scratch, scratch.count) > 0 {}
        return state.withLock { state in
            defer { state.keys.removeAll() }
            return state.keys
        }
    }

    public func draw(_ buffer: Buffer) { state.withLock { $0.frames += 1 } }
    public func resize() -> (width: Int, height: Int) { size }
    public func send(_ sequence: String) { state.withLock { $0.sent.append(sequence) } }
    public func restore() { state.withLock { $0.restored = true } }

    /// Frames drawn so far.
    public var frames: Int { state.withLock { $0.frames } }
    /// Control sequences sent (clipboard).
    public var sent: [String] { state.withLock { $0.sent } }
    /// Whether the program gave the terminal back.
    public var restored: Bool { state.withLock { $0.restored } }
}
