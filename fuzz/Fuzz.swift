import Foundation

// libFuzzer entry point: one input exercises every parser that reads untrusted text, and the
// sanitiser that stands between that text and the terminal.
// The first byte picks the parser; the rest is its input. A crash, a trap or an endless loop
// is a finding; an error thrown is the expected answer to bad input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let text = String(decoding: bytes, as: UTF8.self)
    switch data[0] % 11 {
    case 0: _ = try? Reference(parsing: text)
    case 1:
        if let tree = try? JSONTree.parse(Data(bytes)) {
            _ = tree.prettyLines()
            _ = tree.root.repeatedKey
        }
    case 2: _ = AuthChallenge.parse(text)
    case 3: _ = nextLink(text)
    case 4: _ = try? NameListPage(Data(bytes), key: "tags", isValid: { Reference.isValidTag($0) })
    case 5: _ = try? ImageConfig(parsing: Data(bytes))
    case 6: _ = URL(string: text).flatMap(Origin.init)
    case 7:
        _ = Sanitizer.inline(text)
        _ = Sanitizer.escapingControls(inJSON: bytes)
    case 8: _ = try? Manifest(bytes: Data(bytes))
    case 9:
        let halves = text.split(separator: "\n", maxSplits: 1).map(String.init)
        _ = RateLimit(limit: halves.first, remaining: halves.last)?.description
    default: mergeLayers(text)
    }
    return 0
}

/// Layers a hostile tar could hold, one entry a line (`KIND path [target]`, KIND one of f d l h w
/// o, a line starting with `-` beginning the next layer), merged, listed, and looked up.
func mergeLayers(_ text: String) {
    var merged = MergedFilesystem(), listed = MergedFilesystem()
    var layer = 1
    var entries: [FileEntry] = []
    for line in text.split(separator: "\n").prefix(200) {
        if line.hasPrefix("-") {
            merged.apply(entries)
            listed.list(entries)
            entries = []
            layer += 1
            continue
        }
        let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
        guard parts.count >= 2 else { continue }
        let kind: FileEntry.Kind = switch parts[0] {
        case "d": .dir
        case "l": .symlink
        case "h": .hardlink
        case "w": .whiteout
        case "o": .opaque
        default: .file
        }
        entries.append(FileEntry(path: FileEntry.normalise(parts[1]), type: kind, mode: 0o644,
                                 linkTarget: parts.count > 2 ? parts[2] : nil, layer: layer))
    }
    merged.apply(entries)
    for entry in merged.sorted.prefix(50) {
        _ = merged.lookup(entry.path)
        _ = merged.names(in: entry.path)
        _ = merged.change(at: entry.path)
    }
    _ = fileChanges(merged, listed).map(\.summary)
}
