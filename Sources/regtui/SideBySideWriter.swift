import Foundation
import ManifestDiff
import OCI

/// A side-by-side view lined up on a thread of its own and rendered in chunks by two threads,
/// written in order below text that the caller writes first (the verdict and the parts table).
/// The thread that lines up the texts (`lineUp`) starts rendering as soon as it has, while the
/// caller still writes the text above; once that is out (`aboveWritten`), both render, each
/// into a chunk buffer of its own, and each chunk is written in its turn. Memory stays at a
/// chunk a thread. The thread is an OS thread, not a task: the caller waits for it, blocking,
/// and must not need a free thread of the task pool to be released.
final class SideBySideWriter: @unchecked Sendable {
    private let printer: SideBySidePrinter
    private let condition = NSCondition()
    private var view: SideBySide?
    private var nextChunk = 0
    /// The chunk whose turn it is to be written; nil until the text above is out.
    private var turn: Int?
    private var abandoned = false
    static let rowsPerChunk = 2048

    init(printer: SideBySidePrinter) {
        self.printer = printer
    }

    /// Lines up `left` and `right` on a thread of its own, which then renders chunks (and
    /// writes them in their turn) until none is left.
    func lineUp(_ left: TextLines, _ right: TextLines) {
        let thread = Thread {
            let view = SideBySide(left: left, right: right)
            self.condition.withLock {
                self.view = view
                self.condition.broadcast()
            }
            self.work()
        }
        thread.start()
    }

    /// Called once the text above the view is written: renders and writes chunks with the other
    /// thread, and returns when every chunk is written.
    func aboveWritten() {
        condition.withLock {
            turn = 0
            condition.broadcast()
        }
        work()
        condition.withLock {
            while !abandoned, let view, turn.map({ $0 < Self.chunks(view) }) ?? true { condition.wait() }
        }
    }

    /// Lets the lining-up thread end without writing: nothing more is written.
    func abandon() {
        condition.withLock {
            abandoned = true
            condition.broadcast()
        }
    }

    private static func chunks(_ view: SideBySide) -> Int { (view.rows.count + rowsPerChunk - 1) / rowsPerChunk }

    private func work() {
        var rendered = LineBuilder(capacity: 1 << 18)
        while let (view, chunk) = claim() {
            let start = chunk * Self.rowsPerChunk
            printer.write(view, rows: start..<min(start + Self.rowsPerChunk, view.rows.count), into: &rendered)
            guard waitForTurn(chunk) else { return }
            rendered.flush { Output.writeInert($0) }
            condition.withLock {
                turn = chunk + 1
                condition.broadcast()
            }
        }
    }

    /// The next chunk to render, once the view is ready; nil when none is left.
    private func claim() -> (SideBySide, Int)? {
        condition.withLock {
            while view == nil && !abandoned { condition.wait() }
            guard !abandoned, let view, nextChunk < Self.chunks(view) else { return nil }
            nextChunk += 1
            return (view, nextChunk - 1)
        }
    }

    /// Waits until `chunk` may be written; false when the writing was abandoned.
    private func waitForTurn(_ chunk: Int) -> Bool {
        condition.withLock {
            while !abandoned && turn != chunk { condition.wait() }
            return !abandoned
        }
    }
}
