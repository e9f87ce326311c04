import Foundation
import OCI
import Registry
import Synchronization
import Transfer
import TransferModel

/// Shows a copy's progress on stderr: on a terminal, a bar per active blob and a total line,
/// repainted in place; elsewhere, one line per finished blob.
/// Unchecked: besides the locked state, it holds only constants and a dispatch timer, which is
/// thread-safe.
final class CopyProgress: @unchecked Sendable {
    private struct State {
        var progress = TransferProgress()
        var paintedLines = 0
        var lines: [String] = []
    }
    private let state = Mutex(State())
    private let live: Bool
    private let quiet: Bool
    private let started = ContinuousClock.now
    private let output = Output()
    private let timer: DispatchSourceTimer?

    /// `live` repaints bars (for a terminal); `quiet` prints nothing but notices.
    init(live: Bool, quiet: Bool) {
        self.live = live && !quiet
        self.quiet = quiet
        if live && !quiet {
            let timer = DispatchSource.makeTimerSource(queue: .global())
            timer.schedule(deadline: .now() + .milliseconds(100), repeating: .milliseconds(100))
            self.timer = timer
        } else {
            timer = nil
        }
        timer?.setEventHandler { [weak self] in self?.repaint() }
        timer?.resume()
    }

    /// Takes one event from the copier.
    func handle(_ event: TransferEvent) {
        let line: String? = switch event {
        case .blobFinished(let blob, let outcome) where !live && !quiet:
            "\(outcome.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(blob.digest)  \(ByteCount.format(blob.size))"
        case .manifestPushed(let descriptor) where !live && !quiet:
            "manifest  \(descriptor.digest)  \(descriptor.mediaType.friendlyName)"
        case .alreadyPresent(let digest) where !quiet:
            "present   \(digest) is already at the destination; only the tag is written"
        case .tagged(let reference, let digest) where !quiet:
            "tagged    \(reference) -> \(digest)"
        case .notice(let text):
            "note: \(text)"
        default:
            nil
        }
        state.withLock { state in
            state.progress.apply(event)
            if let line { state.lines.append(line) }
        }
        if !live { flushLines() }
    }

    /// Stops repainting and leaves the final lines on screen.
    func finish() {
        timer?.cancel()
        repaint(final: true)
    }

    private func flushLines() {
        let lines = state.withLock { state -> [String] in
            defer { state.lines.removeAll() }
            return state.lines
        }
        if !lines.isEmpty { output.note(lines.joined(separator: "\n")) }
    }

    private func repaint(final: Bool = false) {
        guard live else { flushLines(); return }
        let elapsed = seconds(since: started)
        let (up, lines) = state.withLock { state -> (Int, [TextLine]) in
            let up = state.paintedLines
            let progress = state.progress
            var lines = state.lines.map { TextLine($0) }
            state.lines.removeAll()
            var liveLines = 1
            if !final {
                for blob in progress.active.prefix(8) {
                    liveLines += 1
                    lines.append(TextLine("  \(blob.digest.short)  \(Self.bar(blob.done, of: blob.size, width: 24))  \(ByteCount.format(blob.done)) / \(ByteCount.format(blob.size))"))
                }
            }
            let rate = elapsed > 0 ? Double(progress.movedBytes) / elapsed : 0
            let remaining = rate > 0 ? Double(progress.totalBytes - progress.movedBytes) / rate : 0
            let eta = final || rate == 0 ? "" : String(format: "  ETA %.0fs", max(0, remaining))
            lines.append(TextLine("\(progress.blobsDone)/\(progress.blobs) blobs  \(ByteCount.format(progress.movedBytes)) / \(ByteCount.format(progress.totalBytes))  \(ByteCount.format(Int64(rate)))/s\(eta)"))
            state.paintedLines = final ? 0 : liveLines
            return (up, lines)
        }
        output.repaint(before: up > 0 ? "\u{1b}[\(up)A" : "", lines: lines, after: "\n\u{1b}[J", color: false)
    }

    static func bar(_ done: Int64, of total: Int64, width: Int) -> String {
        let filled = total > 0 ? Int(Double(done) / Double(total) * Double(width)) : width
        return "[" + String(repeating: "#", count: min(width, filled)) + String(repeating: "-", count: max(0, width - filled)) + "]"
    }
}
