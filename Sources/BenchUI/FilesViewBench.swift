import App
import FileTree
import Foundation
import OCI
import TerminalUI

/// The files view filling with one layer of a million entries, in the runtime's batches of
/// 4,096: each batch is timed through update and a frame, as the UI thread handles it (a key
/// pressed meanwhile waits at most that long). Returns a table row.
func measureFilesView() -> String {
    let registry = "files.example:5000"
    let repository = try! ImageRef(parsingRepository: "\(registry)/big/layer")
    let config = Data(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#.utf8)
    let manifest = try! Manifest(bytes: Data(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(Digest.of(config))","size":\#(config.count)},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\#(Digest.of(Data("layer".utf8)))","size":10000000}]}"#.utf8))
    var state = AppState(registries: [registry], width: 160, height: 48)
    var effects = answer(&state, start(&state), .catalog(registry: registry, next: nil), .catalog(names: ["big/layer"], next: nil))
    effects += update(&state, .key(.enter))
    effects = answer(&state, effects, .tags(repository), .tags(["1.0"]))
    _ = answer(&state, effects, .tree(repository.with(tag: "1.0")), .tree(ImageTree(reference: "big", manifest: manifest, config: config)))
    _ = update(&state, .key(.enter))
    _ = update(&state, .key(.enter))
    _ = update(&state, .key(.character("G")))
    guard case .load(let id, .files)? = update(&state, .key(.enter)).last else { fatalError("the files view did not open") }

    let count = 1_000_000, batch = 4096
    var samples: [Double] = []
    let started = ContinuousClock.now
    for first in stride(from: 0, to: count, by: batch) {
        let entries = (first..<min(count, first + batch)).map { i in
            FileEntry(path: String(format: "/d%04d/f%07d", i / 1000, i), type: .file, mode: 0o644, layer: 1)
        }
        let start = ContinuousClock.now
        _ = update(&state, .files(id, .entries(entries)))
        _ = view(state)
        samples.append(milliseconds(start.duration(to: .now)))
    }
    _ = update(&state, .files(id, .layerVerified(1)))
    let total = milliseconds(started.duration(to: .now))
    guard view(state).lines.contains(where: { $0.contains("1001000 entries") }) else { fatalError("the files view did not fill") }
    samples.sort()
    return "| a files view filling with 1,000,000 entries, one batch of 4,096 | \(samples.count) | "
        + "\(String(format: "%.2f", samples[samples.count / 2])) ms | \(String(format: "%.2f", samples[samples.count * 99 / 100])) ms "
        + "(\(String(format: "%.1f", total / 1000)) s in all, entries made included) |"
}
