import App
import Foundation
import OCI
import TerminalUI

// Key-to-redraw of the terminal UI on a large registry: 10,000 repositories and 50,000 tags,
// loaded through the same actions the network answers arrive as. Each key is timed through
// update and view (what the UI thread does before curses draws the changed cells).

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func measure(_ label: String, _ keys: [Key], _ state: inout AppState) -> String {
    var samples: [Double] = []
    for key in keys {
        let start = ContinuousClock.now
        _ = update(&state, .key(key))
        _ = view(state)
        samples.append(milliseconds(start.duration(to: .now)))
    }
    samples.sort()
    let p50 = samples[samples.count / 2], p99 = samples[min(samples.count - 1, samples.count * 99 / 100)]
    return "| \(label) | \(keys.count) | \(String(format: "%.2f", p50)) ms | \(String(format: "%.2f", p99)) ms |"
}

var state = AppState(registries: ["registry.example:5000"], width: 160, height: 48)
let loadStart = ContinuousClock.now
_ = start(&state)
_ = update(&state, .catalogLoaded(registry: "registry.example:5000", names: (0..<10_000).map { String(format: "team-%03d/app-%05d", $0 % 100, $0) },
                                  next: nil, appended: false))
_ = update(&state, .key(.enter))
_ = update(&state, .tagsLoaded(repository: "registry.example:5000/team-000/app-00000", tags: (0..<50_000).map { "v1.\($0 / 100).\($0 % 100)" }))
let loaded = milliseconds(loadStart.duration(to: .now))

var lines = ["| key | presses | p50 update+view | p99 |", "| --- | --- | --- | --- |"]
lines.append(measure("j in 10,000 repositories", Array(repeating: .character("j"), count: 200), &state))
_ = update(&state, .key(.character("g")))
_ = update(&state, .key(.enter))
guard state.focus == .tags, state.visibleTags.count == 50_000 else {
    fatalError("the tags pane should show 50,000 tags, shows \(state.visibleTags.count)")
}
lines.append(measure("j in 50,000 tags", Array(repeating: .character("j"), count: 200), &state))
lines.append(measure("PgDn in 50,000 tags", Array(repeating: .pageDown, count: 200), &state))
lines.append(measure("G / g in 50,000 tags", (0..<100).flatMap { _ in [Key.character("G"), .character("g")] }, &state))
lines.append(measure("filter typing in 50,000 tags", [.character("/")] + "v1.42.7".map { Key.character($0) } + [.escape], &state))

var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print("loading 10,000 repositories and 50,000 tags (sorting included): \(String(format: "%.0f", loaded)) ms")
print(lines.joined(separator: "\n"))
print("peak RSS: \(usage.ru_maxrss / 1024) MiB")
