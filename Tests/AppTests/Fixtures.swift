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

    /// The request id of the first effect in `effects` that loads `load`.
    static func request(_ effects: [Effect], _ load: Load, sourceLocation: SourceLocation = #_sourceLocation) -> RequestID? {
        let id = effects.lazy.compactMap { effect -> RequestID? in
            if case .load(let id, let asked) = effect, asked == load { return id }
            return nil
        }.first
        if id == nil { Issue.record("no request for \(load) in \(effects)", sourceLocation: sourceLocation) }
        return id
    }

    /// Answers the request for `load` among `effects`; returns the effects the answer causes.
    @discardableResult
    static func answer(_ state: inout AppState, _ effects: [Effect], _ load: Load, _ answer: Answer,
                       sourceLocation: SourceLocation = #_sourceLocation) -> [Effect] {
        guard let id = request(effects, load, sourceLocation: sourceLocation) else { return [] }
        return update(&state, .answer(id, answer))
    }

    /// Presses keys in turn; returns every effect they caused.
    @discardableResult
    static func press(_ state: inout AppState, _ keys: Key...) -> [Effect] { keys.flatMap { update(&state, .key($0)) } }

    /// Types text, a key a character; returns the effects.
    @discardableResult
    static func type(_ state: inout AppState, _ text: String) -> [Effect] { text.flatMap { update(&state, .key(.character($0))) } }

    static let app = try! ImageRef(parsingRepository: "r1:5000/team/app")

    /// The screen's text as one line, frames and runs of spaces removed: for messages that wrap.
    static func text(_ state: AppState) -> String {
        view(state).lines.joined(separator: " ").replacingOccurrences(of: "│", with: " ")
            .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// Two registries; the first lists three repositories; team/app has tags; 1.0 is an index,
    /// selected with its tree loaded.
    static func browsing(width: Int = 100, height: Int = 24, keymap: Keymap = .builtIn) -> AppState {
        var state = AppState(registries: ["r1:5000", "r2:5000"], keymap: keymap, color: true, width: width, height: height)
        var effects = start(&state)
        effects = answer(&state, effects, .catalog(registry: "r1:5000", next: nil), .catalog(names: ["library/busybox", "team/app", "team/db"], next: nil))
        effects += press(&state, .enter, .character("j"))
        effects = answer(&state, effects, .tags(app), .tags(["latest", "1.10", "1.9", "1.0", "1.0-rc1"]))
        effects += press(&state, .enter)
        let index = ["1.0-rc1", "1.0", "1.9", "1.10", "latest"].firstIndex(of: "1.0")!
        for _ in 0..<index { effects += press(&state, .character("j")) }
        answer(&state, effects, .summary(app.with(tag: "1.0")), .summary(indexTree().manifest.digest, ManifestSummary(
            mediaType: MediaType.ociIndex.rawValue, created: "2026-01-01T00:00:00Z", size: 4 << 20,
            platforms: [.init(platform: "linux/amd64", digest: "sha256:a", size: 2 << 20, created: nil),
                        .init(platform: "linux/arm64", digest: "sha256:b", size: 2 << 20, created: nil)])))
        answer(&state, effects, .tree(app.with(tag: "1.0")), .tree(indexTree()))
        return state
    }
}

/// Compares a screen with `Tests/AppTests/Snapshots/NAME.txt` (its text) and `NAME.styles.txt`
/// (its styles, a letter a cell with a legend); REGTUI_RECORD=1 rewrites them.
func assertSnapshot(_ buffer: Buffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    check(buffer.lines.joined(separator: "\n") + "\n", against: name, sourceLocation: sourceLocation)
    check(buffer.styleMap.joined(separator: "\n") + "\n", against: name + ".styles", sourceLocation: sourceLocation)
}

private func check(_ text: String, against name: String, sourceLocation: SourceLocation) {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/\(name).txt").path
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
