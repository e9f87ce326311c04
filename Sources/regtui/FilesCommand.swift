import Foundation
import FileTree
import LayerFiles
import OCI
import Registry
import Stores
import TerminalUI

/// `regtui files REF`: the image's filesystem as a container sees it, read from the registry.
struct FilesCommand: Command {
    static let name = "files"
    static let summary = "list the files of an image (merged layers) or of one layer"
    static let help = """
    Usage: regtui files REF [--layer N] [--platform P] [--json]

    Lists the image's filesystem as a container sees it: every layer streamed from the store
    (never saved to disk), whiteouts and opaque directories applied. Each entry shows its mode,
    owner, size, the layer that last wrote it, and a link's target. With --layer N, that layer's
    own entries instead (1 is the base), whiteouts shown as such.
    \(ReferenceOperand.stores)
    \(ReferenceOperand.help)
      --layer N      one layer's own entries
      --json         an array of {path, type, mode, uid, gid, size, linkTarget, mtime, layer};
                     type is file, dir, symlink, hardlink, other (and whiteout, opaque with --layer)
    """
    let operand: ReferenceOperand
    let layer: Int?

    init(arguments: inout Arguments) throws(UsageError) {
        if let text = try arguments.option("--layer") {
            guard let number = Int(text), number >= 1 else { throw UsageError("--layer takes a layer number, 1 for the base layer") }
            layer = number
        } else {
            layer = nil
        }
        operand = try ReferenceOperand(arguments: &arguments)
    }

    func run(_ context: Context) async throws -> Int32 {
        let files = try await ImageFiles.open(context.store(operand.reference), operand.reference.manifestID, platform: operand.platform)
        let entries = if let layer { try await files.layer(layer) } else { try await files.merged().sorted }
        // A layer can hold a million entries: written as they are formatted, not gathered first.
        if context.json {
            var json = JSONWriter(sink: context.output.json)
            json.beginArray()
            for entry in entries { Self.write(entry, to: &json) }
            json.endArray()
            json.finish()
        } else {
            let sizeWidth = entries.lazy.map { Self.sizeText($0).count }.max() ?? 1
            context.output.stream { pending in
                for entry in entries {
                    Sanitizer.append(Self.line(entry, sizeWidth: sizeWidth), to: &pending.bytes)
                    pending.endLine()
                }
            }
        }
        return ExitStatus.success
    }

    /// An `ls -l`-like line: mode, owner, size, layer, path (and what a link points at).
    static func line(_ entry: FileEntry, sizeWidth: Int) -> String {
        let size = sizeText(entry)
        var line = "\(entry.modeString)  \(entry.uid)/\(entry.gid)  \(String(repeating: " ", count: max(0, sizeWidth - size.count)))\(size)  L\(entry.layer)  \(entry.path)"
        switch entry.type {
        case .symlink, .hardlink: line += " -> \(entry.linkTarget ?? "")"
        case .whiteout: line += "  (whiteout: deleted)"
        case .opaque: line += "  (opaque: lower layers' contents hidden)"
        default: break
        }
        return line
    }

    /// One entry of `--json` (null for none).
    static func write(_ entry: FileEntry?, to json: inout JSONWriter) {
        guard let entry else { return json.string(nil) }
        json.beginObject()
        json.key("gid"); json.number(Int(entry.gid))
        json.key("layer"); json.number(entry.layer)
        if let target = entry.linkTarget { json.key("linkTarget"); json.string(target) }
        json.key("mode"); json.string(entry.octalMode)
        json.key("mtime"); json.number(Int(entry.mtime))
        json.key("path"); json.string(entry.path)
        if let digest = entry.sha256 { json.key("sha256"); json.string(digest.description) }
        json.key("size"); json.number(Int(entry.size))
        json.key("type"); json.string(entry.type.rawValue)
        json.key("uid"); json.number(Int(entry.uid))
        json.endObject()
    }

    private static func sizeText(_ entry: FileEntry) -> String {
        entry.type == .file || entry.type == .hardlink ? ByteCount.format(entry.size) : "-"
    }
}

/// `regtui cat REF PATH`: one file's bytes, as the image has them.
struct CatCommand: Command {
    static let name = "cat"
    static let summary = "print a file from an image"
    static let help = """
    Usage: regtui cat REF PATH [--platform P]

    Prints the file at PATH as the image's merged filesystem has it (symlinks followed inside the
    image), streamed from the store and checked against the layer's digest. Into a pipe or a
    file the bytes are exact; on a terminal, control characters are shown escaped, and files over
    16 MiB are refused (redirect them). Exit status 1 when PATH is absent or deleted by a
    whiteout.
    \(ReferenceOperand.stores)
    \(ReferenceOperand.help)
    """
    /// The most `cat` shows on a terminal.
    static let terminalLimit: Int64 = 16 << 20
    let operand: ReferenceOperand
    let path: String

    init(arguments: inout Arguments) throws(UsageError) {
        operand = try ReferenceOperand(arguments: &arguments)
        path = try arguments.operand("PATH")
    }

    func run(_ context: Context) async throws -> Int32 {
        let files = try await ImageFiles.open(context.store(operand.reference), operand.reference.manifestID, platform: operand.platform)
        let output = context.output
        guard output.stdoutIsTerminal else {
            _ = try await files.cat(path) { chunk in output.raw(chunk) }
            return ExitStatus.success
        }
        let collected = Collected(limit: Self.terminalLimit)
        _ = try await files.cat(path) { chunk in try collected.append(chunk, path: path) }
        output.raw(collected.data)
        return ExitStatus.success
    }

    /// What a terminal is shown, bounded.
    private final class Collected: @unchecked Sendable {
        let limit: Int64
        var data = Data()
        init(limit: Int64) { self.limit = limit }

        func append(_ chunk: UnsafeRawBufferPointer, path: String) throws {
            guard Int64(data.count) + Int64(chunk.count) <= limit else {
                throw RegistryError.tooLarge(what: path, reason: "larger than \(ByteCount.format(limit)), too much for a terminal: redirect it to a file or a pipe")
            }
            data.append(contentsOf: chunk)
        }
    }
}
