import App
import Foundation
import OCI
import Registry
import Runtime
import TerminalUI
import TransferModel

// Key-to-redraw of the terminal UI on a large registry: 10,000 repositories and 50,000 tags,
// loaded through the same answers the network gives. Each key is timed through update and
// view (what the UI thread does before curses draws the changed cells); between keys the
// digests of the rows shown are answered, and for the "while copying" row a copy's progress
// events are fed too. Then the real runtime, headless,
// is left alone to count the frames it draws when nothing happens.

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

/// Answers the request for `load` among `effects`.
func answer(_ state: inout AppState, _ effects: [Effect], _ load: Load, _ answer: Answer) -> [Effect] {
    for case .load(let id, let asked) in effects where asked == load { return update(&state, .answer(id, answer)) }
    fatalError("no request for \(load)")
}

/// What a tag's summary would be: a size from its name, so an order by size shuffles the list.
func summary(of reference: ImageRef) -> (Digest, ManifestSummary) {
    let digest = Digest.of(Data(reference.description.utf8))
    return (digest, ManifestSummary(mediaType: MediaType.ociManifest.rawValue, created: "2026-01-01T00:00:00Z",
                                    size: Int64(digest.hex.prefix(6), radix: 16)! << 10,
                                    platforms: [.init(platform: "linux/amd64", digest: digest.description, size: 1 << 20, created: nil)]))
}

/// Answers the summaries `asked` asks for, as the registry would; returns what the answers ask next.
@discardableResult
func answerSummaries(_ asked: [Effect], _ state: inout AppState) -> [Effect] {
    var next: [Effect] = []
    for case .load(let id, .summary(let reference)) in asked {
        let (digest, found) = summary(of: reference)
        next += update(&state, .answer(id, .summary(digest, found)))
    }
    return next
}

/// Times each key through update and view. Between keys (untimed), the digests the last key
/// asked for (their summaries) are answered, as the registry would, and `between` runs.
func measure(_ label: String, _ keys: [Key], _ state: inout AppState, between: (inout AppState) -> Void = { _ in }) -> String {
    var samples: [Double] = []
    var asked: [Effect] = []
    for key in keys {
        answerSummaries(asked, &state)
        between(&state)
        let start = ContinuousClock.now
        asked = update(&state, .key(key))
        _ = view(state)
        samples.append(milliseconds(start.duration(to: .now)))
    }
    answerSummaries(asked, &state)
    samples.sort()
    let p50 = samples[samples.count / 2], p99 = samples[min(samples.count - 1, samples.count * 99 / 100)]
    return "| \(label) | \(keys.count) | \(String(format: "%.2f", p50)) ms | \(String(format: "%.2f", p99)) ms |"
}

let registry = "registry.example:5000"
let repository = try! ImageRef(parsingRepository: "\(registry)/team-000/app-00000")
var state = AppState(registries: [registry, "other.example:5000"], width: 160, height: 48)
let loadStart = ContinuousClock.now
var effects = start(&state)
effects = answer(&state, effects, .catalog(registry: registry, next: nil),
                 .catalog(names: (0..<10_000).map { String(format: "team-%03d/app-%05d", $0 % 100, $0) }, next: nil))
effects += update(&state, .key(.enter))
answerSummaries(answer(&state, effects, .tags(repository), .tags((0..<50_000).map { "v1.\($0 / 100).\($0 % 100)" })), &state)
let loaded = milliseconds(loadStart.duration(to: .now))

var lines = ["| key | presses | p50 update+view | p99 |", "| --- | --- | --- | --- |"]
lines.append(measure("j in 10,000 repositories", Array(repeating: .character("j"), count: 200), &state))
answerSummaries(update(&state, .key(.character("g"))), &state)
answerSummaries(update(&state, .key(.enter)), &state)
guard view(state).lines.contains(where: { $0.contains("Tags (50000)") }) else { fatalError("the tags pane should show 50,000 tags") }
lines.append(measure("j in 50,000 tags", Array(repeating: .character("j"), count: 200), &state))
lines.append(measure("PgDn in 50,000 tags", Array(repeating: .pageDown, count: 200), &state))
lines.append(measure("G / g in 50,000 tags", (0..<100).flatMap { _ in [Key.character("G"), .character("g")] }, &state))
lines.append(measure("filter typing in 50,000 tags", [.character("/")] + "v1.42.7".map { Key.character($0) } + [.escape], &state))

// A copy running: each key follows a burst of its progress events.
_ = update(&state, .key(.character("c")))
let check = update(&state, .key(.enter))
guard case .load(let checkID, .destination(let source, _))? = check.first else { fatalError("no destination check: \(check)") }
let started = update(&state, .answer(checkID, .destination(source: Digest.of(Data("image".utf8)), current: nil)))
guard case .copy(let copy, _, _)? = started.first else { fatalError("the copy did not start") }
let blobs = (0..<8).map { Descriptor(mediaType: .ociLayerGzip, digest: Digest.of(Data("blob \($0)".utf8)), size: 1 << 30) }
_ = update(&state, .transfer(copy, .planned(source: source, manifests: 1, blobs: blobs.count, bytes: Int64(blobs.count) << 30)))
for blob in blobs { _ = update(&state, .transfer(copy, .blobStarted(blob))) }
var sent: Int64 = 0
lines.append(measure("j in 50,000 tags while a copy reports progress", Array(repeating: .character("j"), count: 200), &state) { state in
    sent += 1 << 20
    for blob in blobs { _ = update(&state, .transfer(copy, .blobProgress(blob.digest, bytes: sent))) }
})

// Sorted by size while every tag's summary arrives (32 asked at a time): each key is timed, and
// so is each answer, which the UI thread handles like a key (the list is sorted again now and then).
var pending = update(&state, .key(.character("s"))) + update(&state, .key(.character("s")))
var answerTimes: [Double] = []
var keyTimes: [Double] = []
while !pending.isEmpty {
    let start = ContinuousClock.now
    pending += update(&state, .key(.character("j")))
    _ = view(state)
    keyTimes.append(milliseconds(start.duration(to: .now)))
    var next: [Effect] = []
    for case .load(let id, .summary(let reference)) in pending {
        let (digest, found) = summary(of: reference)
        let answered = ContinuousClock.now
        next += update(&state, .answer(id, .summary(digest, found)))
        answerTimes.append(milliseconds(answered.duration(to: .now)))
    }
    pending = next
}
keyTimes.sort()
answerTimes.sort()
lines.append("| j in 50,000 tags sorted by size while their summaries arrive | \(keyTimes.count) | "
             + "\(String(format: "%.2f", keyTimes[keyTimes.count / 2])) ms | \(String(format: "%.2f", keyTimes[keyTimes.count * 99 / 100])) ms |")
let slowestAnswer = answerTimes.last ?? 0
let answerLine = "handling one of the 50,000 summaries (the list sorted again every 5,000): p50 \(String(format: "%.3f", answerTimes[answerTimes.count / 2])) ms, "
    + "p99 \(String(format: "%.3f", answerTimes[answerTimes.count * 99 / 100])) ms, slowest \(String(format: "%.1f", slowestAnswer)) ms"

var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
// After the peak is read: a million entries are their own memory.
lines.append(measureFilesView())

// The runtime left alone: how many frames does it draw in two seconds of nothing?
let terminal = HeadlessTerminal(width: 120, height: 32)
let client = RegistryClient(options: ClientOptions(trust: try! TrustPolicy(certsDirectories: []), maxAttempts: 1))
let program = Program(state: AppState(registries: ["127.0.0.1:9"], width: 120, height: 32), terminal: terminal, client: client,
                      watchResize: false)
let running = Task { await program.run() }
await program.idle()
let framesBefore = terminal.frames
try await Task.sleep(for: .seconds(2))
let idleFrames = terminal.frames - framesBefore

print("loading 10,000 repositories and 50,000 tags (sorting included): \(String(format: "%.0f", loaded)) ms")
print(lines.joined(separator: "\n"))
print(answerLine)
print("peak RSS: \(usage.ru_maxrss / 1024) MiB")
print("frames drawn in 2 s with nothing happening: \(idleFrames)")
exit(0)
