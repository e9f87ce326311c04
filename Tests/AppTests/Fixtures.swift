import App
import Foundation
import OCI
import TerminalUI
import Testing

/// States built from values, as the runtime would build them from registry answers.
enum Fixtures {
    static func digest(_ seed: String) -> Digest { Digest.of(Data(seed.utf8)) }

    static let config = Data(#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#.utf8)

    static func image(_ seed: String) -> Manifest {
        let text = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(Digest.of(config))","size":\#(config.count)},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"\#(digest(seed))","size":2048}]}"#
        return try! Manifest(bytes: Data(text.utf8))
    }

    static func indexTree() -> ImageTree {
        let amd = image("amd64"), arm = image("arm64")
        let text = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(amd.digest)","size":\#(amd.bytes.count),"platform":{"os":"linux","architecture":"amd64"}},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(arm.digest)","size":\#(arm.bytes.count),"platform":{"os":"linux","architecture":"arm64"}}]}"#
        return ImageTree(reference: "r1:5000/team/app:1.0", manifest: try! Manifest(bytes: Data(text.utf8)),
                         children: [ImageTree(reference: "amd", manifest: amd, config: config),
                                    ImageTree(reference: "arm", manifest: arm, config: config)])
    }

    /// Two registries; the first lists three repositories; team/app has tags; 1.0 is an index.
    static func browsing(width: Int = 100, height: Int = 24, keymap: Keymap = .builtIn) -> AppState {
        var state = AppState(registries: ["r1:5000", "r2:5000"], keymap: keymap, color: true, width: width, height: height)
        _ = start(&state)
        _ = update(&state, .catalogLoaded(registry: "r1:5000", names: ["library/busybox", "team/app", "team/db"], next: nil, appended: false))
        _ = update(&state, .key(.enter))
        _ = update(&state, .key(.character("j")))
        _ = update(&state, .tagsLoaded(repository: "r1:5000/team/app", tags: ["latest", "1.10", "1.9", "1.0", "1.0-rc1"]))
        _ = update(&state, .key(.enter))
        _ = update(&state, .digestLoaded(reference: try! Reference(parsing: "r1:5000/team/app:1.0"), digest: indexTree().manifest.digest))
        let index = state.visibleTags.firstIndex(of: "1.0")!
        for _ in 0..<index { _ = update(&state, .key(.character("j"))) }
        _ = update(&state, .treeLoaded(key: "r1:5000/team/app:1.0", tree: indexTree()))
        return state
    }
}

/// Compares a screen with `Tests/AppTests/Snapshots/NAME.txt`; REGTUI_RECORD=1 rewrites it.
func assertSnapshot(_ buffer: Buffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/\(name).txt").path
    let text = buffer.lines.joined(separator: "\n") + "\n"
    if ProcessInfo.processInfo.environment["REGTUI_RECORD"] != nil || !FileManager.default.fileExists(atPath: path) {
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        if ProcessInfo.processInfo.environment["REGTUI_RECORD"] == nil {
            Issue.record("recorded a new snapshot at \(path); check it and run again", sourceLocation: sourceLocation)
        }
        return
    }
    let expected = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    #expect(text == expected, "screen differs from \(name).txt (REGTUI_RECORD=1 rewrites it)", sourceLocation: sourceLocation)
}
