import Foundation
import OCI
import Registry
import Synchronization
import Transfer

/// Shows a copy's progress on stderr: on a terminal, a bar per active blob and a total line,
/// repainted in place; elsewhere, one line per finished blob.
/// Unchecked: besides the locked state, it holds only constants and a dispatch timer, which is
/// thread-safe.
final class CopyProgress: @unchecked Sendable {
    private struct State {
        var active: [Digest: (size: Int64, done: Int64)] = [:]
        var order: [Digest] = []
        var totalBytes: Int64 = 0
        var movedBytes: Int64 = 0
        var blobs = 0
        var finished = 0
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
        switch event {
        case .planned(_, _, let blobs, let bytes):
            state.withLock { $0.totalBytes += bytes; $0.blobs += blobs }
        case .blobStarted(let blob):
            state.withLock { state in
                state.active[blob.digest] = (blob.size, 0)
                state.order.append(blob.digest)
            }
        case .blobProgress(let digest, let bytes):
            state.withLock { state in
                guard let entry = state.active[digest] else { return }
                state.movedBytes += bytes - entry.done
                state.active[digest] = (entry.size, bytes)
            }
        case .blobFinished(let blob, let outcome):
            state.withLock { state in
                let done = state.active[blob.digest]?.done ?? 0
                state.movedBytes += blob.size - done
                state.active[blob.digest] = nil
                state.order.removeAll { $0 == blob.digest }
                state.finished += 1
                if !live && !quiet { state.lines.append("\(outcome.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(blob.digest)  \(ByteCount.format(blob.size))") }
            }
        case .manifestPushed(let descriptor):
            if !live && !quiet { state.withLock { $0.lines.append("manifest  \(descriptor.digest)  \(descriptor.mediaType.friendlyName)") } }
        case .alreadyPresent(let digest):
            if !quiet { state.withLock { $0.lines.append("present   \(digest) is already at the destination; only the tag is written") } }
        case .tagged(let reference, let digest):
            if !quiet { state.withLock { $0.lines.append("tagged    \(reference) -> \(digest)") } }
        case .notice(let text):
            state.withLock { $0.lines.append("note: \(text)") }
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
            var lines = state.lines.map { TextLine($0) }
            state.lines.removeAll()
            var liveLines = 1
            if !final {
                for digest in state.order.prefix(8) {
                    guard let entry = state.active[digest] else { continue }
                    liveLines += 1
                    lines.append(TextLine("  \(digest.short)  \(Self.bar(entry.done, of: entry.size, width: 24))  \(ByteCount.format(entry.done)) / \(ByteCount.format(entry.size))"))
                }
            }
            let rate = elapsed > 0 ? Double(state.movedBytes) / elapsed : 0
            let remaining = rate > 0 ? Double(state.totalBytes - state.movedBytes) / rate : 0
            let eta = final || rate == 0 ? "" : String(format: "  ETA %.0fs", max(0, remaining))
            lines.append(TextLine("\(state.finished)/\(state.blobs) blobs  \(ByteCount.format(state.movedBytes)) / \(ByteCount.format(state.totalBytes))  \(ByteCount.format(Int64(rate)))/s\(eta)"))
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
