import App
import Foundation
import Registry
import Synchronization
import TerminalUI

/// The terminal UI's runtime: one thread of its own that waits on the keyboard and a wake pipe,
/// feeds keys and answers to `update`, draws only when something changed, and hands effects to
/// the `EffectRunner`, whose tasks post their answers back. It owns that work: quitting while a
/// copy runs cancels it and waits for its uploads to close before the terminal is restored.
///
/// Tests drive it headless: `press` keys, `await idle()`, read the screen.
public final class Program: @unchecked Sendable {
    // Touched only on the UI thread, once `run` has started.
    private var state: AppState
    private let terminal: any TerminalDevice
    private var drawn: Buffer?

    private let mailbox = Mailbox()
    private let runner: EffectRunner
    private let signal = Mutex(Signal())
    private let resizeSource: DispatchSourceSignal?

    /// What the idle signal knows.
    private struct Signal {
        /// Keys handed to `press` and not yet read by the UI thread.
        var keysPending = 0
        /// Set while the UI thread waits with nothing to do.
        var idle = false
        /// Set while the UI thread waits for input, every key handled (requests may still run).
        var caughtUp = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// Waiting for the keys pressed so far to be handled and drawn.
        var handledWaiters: [CheckedContinuation<Void, Never>] = []
        var screen: Buffer?
        var selection: Selection?
        var finished = false
        /// Set by `stop`: the loop ends at once, whatever runs.
        var stopping = false
    }

    /// How long quitting waits for cancelled copies to close their uploads.
    static let quitGrace: Duration = .seconds(15)

    /// A program showing `state` on `terminal`, with effects run against `client`. With
    /// `watchResize`, the window size is followed (SIGWINCH).
    public init(state: AppState, terminal: any TerminalDevice, client: RegistryClient, watchResize: Bool = true) {
        self.state = state
        self.terminal = terminal
        let mailbox = self.mailbox
        runner = EffectRunner(client: client, post: { mailbox.post($0) }, wake: { mailbox.wake() })
        if watchResize {
            Foundation.signal(SIGWINCH, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .global())
            source.setEventHandler { mailbox.post(.resized(width: -1, height: -1)) }
            source.resume()
            resizeSource = source
        } else {
            resizeSource = nil
        }
        let size = terminal.size
        self.state.width = size.width
        self.state.height = size.height
    }

    deinit { resizeSource?.cancel() }

    /// Runs the UI on a thread of its own until the person quits; the caller waits (without
    /// holding a thread of the task pool).
    public func run() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let thread = Thread { [self] in
                loop()
                done.resume()
            }
            thread.name = "regtui UI"
            thread.start()
        }
    }

    // MARK: - The loop

    private func loop() {
        defer {
            terminal.restore()
            finish()
        }
        // The first frame goes up before any work starts: it cannot wait for the network.
        let effects = App.start(&state)
        draw()
        perform(effects)
        var quitDeadline: ContinuousClock.Instant?
        while true {
            if signal.withLock({ $0.stopping }) {
                runner.cancelAll()
                return
            }
            if state.quit {
                if !runner.copying { return }
                quitDeadline = quitDeadline ?? .now + Self.quitGrace
                if ContinuousClock.now >= quitDeadline! { return }
            }
            waitForInput(until: quitDeadline)
            var effects: [Effect] = []
            let keys = terminal.readKeys()
            if !keys.isEmpty { signal.withLock { $0.keysPending = max(0, $0.keysPending - keys.count) } }
            for key in keys where !state.quit { effects += App.update(&state, .key(key)) }
            for action in mailbox.drain() {
                if case .resized = action {
                    let size = terminal.resize()
                    effects += App.update(&state, .resized(width: size.width, height: size.height))
                } else {
                    effects += App.update(&state, action)
                }
            }
            perform(effects)
            draw()
        }
    }

    /// Blocks until a key, an answer or a wake arrives (or the deadline passes). Before blocking,
    /// says the program is idle when nothing is pending.
    private func waitForInput(until deadline: ContinuousClock.Instant?) {
        markIdleIfQuiet()
        var fds = [pollfd(fd: terminal.inputDescriptor, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: mailbox.wakeRead, events: Int16(POLLIN), revents: 0)]
        let timeout: Int32 = deadline.map { deadline in
            let left = ContinuousClock.now.duration(to: deadline).components
            return Int32(max(0, min(60_000, left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000)))
        } ?? -1
        _ = poll(&fds, 2, timeout)
        signal.withLock {
            $0.idle = false
            $0.caughtUp = false
        }
    }

    private func perform(_ effects: [Effect]) {
        for effect in effects {
            if case .setClipboard(let text) = effect {
                terminal.send("\u{1b}]52;c;\(Data(text.utf8).base64EncodedString())\u{07}")
            } else {
                runner.run(effect)
            }
        }
    }

    /// Draws the state when the frame differs from the one on screen.
    private func draw() {
        let buffer = App.view(state)
        guard buffer != drawn else { return }
        terminal.draw(buffer)
        drawn = buffer
        let selection = Selection(state)
        signal.withLock {
            $0.screen = buffer
            $0.selection = selection
        }
    }

    // MARK: - The idle signal

    private func markIdleIfQuiet() {
        let quiet = runner.inFlight == 0 && mailbox.isEmpty
        let waiters = signal.withLock { signal -> [CheckedContinuation<Void, Never>] in
            guard signal.keysPending == 0 else { return [] }
            signal.caughtUp = true
            var ready = signal.handledWaiters
            signal.handledWaiters.removeAll()
            if quiet {
                signal.idle = true
                ready += signal.waiters
                signal.waiters.removeAll()
            }
            return ready
        }
        for waiter in waiters { waiter.resume() }
    }

    private func finish() {
        let waiters = signal.withLock { signal -> [CheckedContinuation<Void, Never>] in
            signal.finished = true
            defer {
                signal.waiters.removeAll()
                signal.handledWaiters.removeAll()
            }
            return signal.waiters + signal.handledWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once every key pressed has been handled, every request answered and the screen
    /// drawn, with nothing left to do (or once the program has ended).
    public func idle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = signal.withLock { signal -> Bool in
                if signal.finished || (signal.idle && signal.keysPending == 0) { return true }
                signal.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Returns once every key pressed so far has been handled and the screen drawn, whether or not
    /// requests are still running (a copy, say).
    public func handled() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = signal.withLock { signal -> Bool in
                if signal.finished || (signal.keysPending == 0 && signal.caughtUp) { return true }
                signal.handledWaiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Hands keys to the program as if typed (for headless terminals, whose `feed` they call).
    public func press(_ keys: [Key], into terminal: HeadlessTerminal) {
        signal.withLock {
            $0.keysPending += keys.count
            $0.idle = false
            $0.caughtUp = false
        }
        terminal.feed(keys)
    }

    /// Ends the program at once (cancelling what runs), as when its owner goes away; the
    /// terminal is restored. For a person's quit, see the quit command.
    public func stop() {
        signal.withLock { $0.stopping = true }
        mailbox.wake()
    }

    /// Asks the program to follow a new window size (what SIGWINCH does for a real terminal).
    public func resized() {
        signal.withLock { $0.idle = false }
        mailbox.post(.resized(width: -1, height: -1))
    }

    /// The last frame drawn.
    public var screen: Buffer? { signal.withLock { $0.screen } }
    /// Where the cursor was in the last frame drawn.
    public var selection: Selection? { signal.withLock { $0.selection } }
    /// Whether the program has ended.
    public var finished: Bool { signal.withLock { $0.finished } }
}

/// What is selected, as tests read it.
public struct Selection: Sendable, Equatable {
    public var focus: Pane
    public var registry: String?
    public var repository: String?
    public var tag: String?
    public var treeRow: String?

    init(_ state: AppState) {
        focus = state.focus
        registry = state.selectedRegistry
        repository = state.selectedRepository?.repository
        tag = state.selectedTag?.tag
        treeRow = state.selectedTreeRow?.label
    }
}
