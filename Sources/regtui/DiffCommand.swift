import Foundation
import ManifestDiff
import OCI
import Registry
import Stores

/// `regtui diff REF_A REF_B`: both manifests side by side, and why their digests differ.
struct DiffCommand: Command {
    static let name = "diff"
    static let summary = "compare two manifests and say why their digests differ"
    static let help = """
    Usage: regtui diff REF_A REF_B [--platform P] [--files [--times]] [--verify] [--bytes] [--width N] [--json]

    REF_A and REF_B are image references in any store (a registry, oci:DIR[:TAG],
    oci-archive:FILE[:TAG], docker-archive:FILE[:REPO:TAG] — what docker save writes), or
    file:PATH for a manifest saved on disk (e.g. with `regtui manifest REF > a.json`; configs
    and children are then not known).

    Shows both manifests' JSON side by side (keys in their order, every value as written), both
    full digests, a table of the parts (config = image ID, layers, diff_ids) with equal/different
    marks, and the verdict: identical, reserialized, converted, recompressed, platform-extracted
    or different, with the evidence behind it. Exit status: 0 when the digests are equal, 1 when
    they differ, 2 on error.
      --platform P   compare that platform's manifests of indexes
      --files        also compare the two filesystems file by file (every layer streamed and
                     hashed, nothing saved): added, removed, modified (content, type or link
                     target), metadata (mode or owner only); --json adds "files"
      --times        with --files, a changed mtime counts too
      --verify       decompress the layers whose blobs differ and check each against its
                     config's diff_id: "same content, proven", or which layer does not match;
                     --json adds "verify"
      --bytes        line up the exact bytes instead, whitespace made visible
      --width N      the width to fit (default: the terminal's, else 160)
      --json         print the verdict, both sides, the parts table and the evidence as JSON
    Colour on a terminal unless NO_COLOR is set.
    """
    let left: Operand
    let right: Operand
    let platform: Platform?
    let exactBytes: Bool
    let width: Int?
    let files: Bool
    let times: Bool
    let verify: Bool

    init(arguments: inout Arguments) throws(UsageError) {
        files = arguments.flag("--files")
        times = arguments.flag("--times")
        verify = arguments.flag("--verify")
        guard files || !times else { throw UsageError("--times goes with --files") }
        let platforms = try parsePlatforms(arguments.options("--platform"))
        guard platforms.count <= 1 else { throw UsageError("give --platform once") }
        platform = platforms.first
        exactBytes = arguments.flag("--bytes")
        if let text = try arguments.option("--width") {
            guard let value = Int(text), value >= 40 else { throw UsageError("--width takes a number of columns, at least 40") }
            width = value
        } else {
            width = nil
        }
        left = try Operand(arguments.operand("REF_A"))
        right = try Operand(arguments.operand("REF_B"))
    }

    /// A registry reference, or a manifest file on disk.
    enum Operand {
        case reference(ImageRef)
        case file(String)

        init(_ text: String) throws(UsageError) {
            if text.hasPrefix("file:") { self = .file(String(text.dropFirst(5))) } else { self = .reference(try parseReference(text)) }
        }
    }

    func run(_ context: Context) async throws -> Int32 {
        async let a = load(left, context)
        async let b = load(right, context)
        let (treeA, treeB) = try await (a, b)
        guard !context.json else {
            let comparison = ManifestComparison(treeA, treeB)
            Self.report(comparison, findings: try await contents(context), to: context.output)
            KeptUntilExit.keep([treeA, treeB, comparison] as [any Sendable])
            return Self.status(comparison)
        }
        // The two texts are made on two cores, then lined up on one while the other compares
        // the manifests and writes the parts table; the first starts rendering the view, and
        // both finish it.
        let shown = ManifestComparison.shownManifests(treeA, treeB)
        async let leftText = ManifestComparison.text(of: shown.left, exactBytes: exactBytes)
        let rightText = ManifestComparison.text(of: shown.right, exactBytes: exactBytes)
        let texts = (left: await leftText, right: rightText)
        let color = context.output.stdoutIsTerminal && !Output.noColor
        let writer = SideBySideWriter(printer: SideBySidePrinter(width: width ?? Self.terminalWidth() ?? 160, color: color))
        writer.lineUp(texts.left, texts.right)
        let comparison = ManifestComparison(treeA, treeB)
        let findings: ContentFindings
        do { findings = try await contents(context) } catch {
            writer.abandon()  // else its thread would wait for its turn to write, for ever
            throw error
        }
        let printer = DiffPrinter(comparison: comparison, details: findings.lines(verdict: comparison.verdict))
        context.output.stream { printer.writeHeaderAndParts(into: &$0, color: color) }
        writer.aboveWritten()
        KeptUntilExit.keep([treeA, treeB, comparison, writer] as [any Sendable])
        return Self.status(comparison)
    }

    /// 0 when the digests are equal, 1 when they differ.
    private static func status(_ comparison: ManifestComparison) -> Int32 {
        comparison.a.digest == comparison.b.digest ? ExitStatus.success : ExitStatus.negative
    }

    /// What `--files` and `--verify` ask of the images' contents.
    private func contents(_ context: Context) async throws -> ContentFindings {
        guard files || verify else { return ContentFindings() }
        guard case .reference(let a) = left, case .reference(let b) = right else {
            throw UsageError("--files and --verify need images in a store, not a manifest file (file:…)")
        }
        return try await ContentFindings.gather(a, b, platform: platform, files: files, times: times, verify: verify, context: context)
    }

    private func load(_ operand: Operand, _ context: Context) async throws -> ImageTree {
        let tree: ImageTree
        switch operand {
        case .reference(let reference):
            tree = try await context.store(reference).tree(reference.manifestID, displayName: reference.description)
        case .file(let path):
            let bytes: Data
            do { bytes = try FileIO.read(path, limit: Manifest.maxSize, what: "the manifest file \(path)") } catch {
                guard case .notFound = error else { throw error }
                throw UsageError("cannot read the manifest file \(path): check the path")
            }
            do { tree = ImageTree(reference: "file:\(path)", manifest: try Manifest(bytes: bytes)) } catch {
                throw UsageError("\(path) is not a manifest: \(error.description)")
            }
        }
        guard let platform, let index = tree.manifest.index else { return tree }
        let wanted = try child(of: index, for: platform, in: tree.reference).digest
        guard let child = tree.children.first(where: { $0.manifest.digest == wanted }) else {
            throw RegistryError.notFound(what: "the \(platform) manifest of \(tree.reference)", details: [])
        }
        return child
    }

    static func terminalWidth() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// The `--json` output: verdict, explanation, both sides, the parts table, evidence and pairs.
    /// Registry text in it is made inert with `safe`, so it is written as it is made.
    static func report(_ comparison: ManifestComparison, findings: ContentFindings, to output: Output) {
        var json = JSONWriter(sink: output.json)
        func side(_ summary: SideSummary) {
            json.beginObject()
            json.key("configDigest"); json.string(summary.configDigest?.description)
            json.key("digest"); json.string(summary.digest.description)
            json.key("mediaType"); json.string(summary.mediaType)
            json.key("reference"); json.string(summary.reference)
            json.key("size"); json.number(summary.size)
            json.endObject()
        }
        json.beginObject()
        json.key("a"); side(comparison.a)
        json.key("b"); side(comparison.b)
        json.key("evidence"); json.beginArray()
        for line in comparison.evidence { json.string(line) }
        json.endArray()
        json.key("causes"); json.beginArray()
        for cause in comparison.causes { json.string(cause.rawValue) }
        json.endArray()
        json.key("explanation"); json.string(comparison.fullExplanation)
        findings.writeFiles(&json)
        json.key("pairs"); json.beginArray()
        for pair in comparison.pairs {
            json.beginObject()
            json.key("a"); json.string(pair.a?.description)
            json.key("b"); json.string(pair.b?.description)
            json.key("platform"); json.string(pair.platform)
            json.key("verdict"); json.string(pair.verdict.rawValue)
            json.endObject()
        }
        json.endArray()
        json.key("parts"); json.beginArray()
        for part in comparison.parts {
            let details = part.details
            json.beginObject()
            json.key("a"); json.string(part.a?.description)
            json.key("aDetail"); json.string(details.a)
            json.key("b"); json.string(part.b?.description)
            json.key("bDetail"); json.string(details.b)
            json.key("equal"); json.bool(part.equal)
            json.key("part"); json.string(part.part)
            json.endObject()
        }
        json.endArray()
        json.key("verdict"); json.string(comparison.verdict.rawValue)
        findings.writeVerified(&json)
        json.endObject()
        json.finish()
    }
}
