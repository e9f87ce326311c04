import Foundation
import Registry
import TerminalUI

/// Where results and messages go: the one boundary between what regtui read (from registries,
/// files, helpers) and the terminal. Every line of text is made inert by the `Sanitizer` on its
/// way out, whoever wrote it; regtui's own colours are added after, by `TextLine`. JSON is exact
/// JSON with controls escaped, and raw manifest bytes into a pipe stay raw.
struct Output: Sendable {
    let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
    let stderrIsTerminal = isatty(STDERR_FILENO) == 1

    /// Whether the person asked for no colours: `NO_COLOR` set and not empty (no-color.org).
    static let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false

    /// One line of results.
    func line(_ text: String = "") { lines(CollectionOfOne(text)) }

    /// Many lines of results, written in pieces of about 64 KiB rather than one write each (a
    /// diff can have 100,000 lines).
    func lines(_ texts: some Sequence<String>) {
        var pending = Pending(descriptor: STDOUT_FILENO)
        for text in texts {
            Sanitizer.append(text, to: &pending.bytes)
            pending.endLine()
        }
        pending.flush()
    }

    /// Lines `produce` writes as bytes (already made inert), each ended with `endLine`: for
    /// views of 100,000 rows, with no `String` per row.
    func stream(_ produce: (inout Pending) -> Void) {
        var pending = Pending(descriptor: STDOUT_FILENO)
        produce(&pending)
        pending.flush()
    }

    /// Exact bytes (raw manifests and configs) into a pipe or file; on a terminal, made inert
    /// line by line.
    func raw(_ bytes: Data) {
        guard stdoutIsTerminal else { return Self.write(bytes, to: STDOUT_FILENO) }
        lines(String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }

    /// Exact bytes into a pipe or file, a piece at a time (`cat`); the caller keeps them off a terminal.
    func raw(_ chunk: UnsafeRawBufferPointer) { Self.write(chunk, to: STDOUT_FILENO) }

    /// Bytes already made inert (a view rendered through the `Sanitizer`) to stdout.
    static func writeInert(_ bytes: UnsafeBufferPointer<UInt8>) { write(UnsafeRawBufferPointer(bytes), to: STDOUT_FILENO) }

    /// A value as indented JSON with sorted keys, exact, its controls escaped.
    func json<Value: Encodable>(_ value: Value) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return }
        json(Array(data) + [0x0a])
    }

    /// JSON text written by regtui (`JSONWriter`, `JSONEncoder`), its controls escaped.
    func json(_ bytes: [UInt8]) { Self.write(Data(Sanitizer.escapingControls(inJSON: bytes)), to: STDOUT_FILENO) }

    /// A message for the person at the terminal (stderr), made inert line by line.
    func note(_ text: String) {
        var bytes: [UInt8] = []
        for (position, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if position > 0 { bytes.append(0x0a) }
            Sanitizer.append(String(line), to: &bytes)
        }
        bytes.append(0x0a)
        Self.write(Data(bytes), to: STDERR_FILENO)
    }

    /// An error message: `regtui: error: …`.
    func error(_ text: String) { note("regtui: error: \(text)") }

    /// Lines on stderr with terminal controls of regtui's own (a progress display repainting in
    /// place): `before` and `after` are trusted sequences; the lines are made inert.
    func repaint(before: String, lines: [TextLine], after: String, color: Bool) {
        var bytes = Array(before.utf8)
        for (position, line) in lines.enumerated() {
            if position > 0 { bytes.append(0x0a) }
            bytes += Array("\u{1b}[2K".utf8)
            line.render(into: &bytes, color: color)
        }
        bytes += Array(after.utf8)
        Self.write(Data(bytes), to: STDERR_FILENO)
    }

    /// How much output is gathered before one write(2).
    static let pieceSize = 1 << 16

    /// Output gathered into pieces of `pieceSize`.
    struct Pending {
        let descriptor: Int32
        var bytes: [UInt8] = []

        init(descriptor: Int32) {
            self.descriptor = descriptor
            bytes.reserveCapacity(Output.pieceSize + 4096)
        }

        mutating func endLine() {
            bytes.append(0x0a)
            if bytes.count >= Output.pieceSize { flush() }
        }

        mutating func flush() {
            guard !bytes.isEmpty else { return }
            Output.write(bytes, to: descriptor)
            bytes.removeAll(keepingCapacity: true)
        }
    }

    /// Writes all of `data`. When the reader has gone (`regtui catalog … | head`), the process
    /// ends the way Unix tools do, by SIGPIPE.
    private static func write(_ data: Data, to descriptor: Int32) {
        data.withUnsafeBytes { write($0, to: descriptor) }
    }

    private static func write(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { write($0, to: descriptor) }
    }

    private static func write(_ raw: UnsafeRawBufferPointer, to descriptor: Int32) {
        if !POSIXIO.writeAll(raw, to: descriptor) && errno == EPIPE {
            signal(SIGPIPE, SIG_DFL)
            raise(SIGPIPE)
        }
    }
}

/// A line of terminal output in pieces, each in one of regtui's own styles. The text is made
/// inert when rendered; the style's escape codes are regtui's and stay.
struct TextLine: ExpressibleByStringLiteral {
    /// regtui's styles, as SGR parameters.
    enum Paint: String {
        case red = "31", green = "32", yellow = "33", bold = "1", dim = "2"

        /// Appends the escape sequence that starts the style.
        func start(into bytes: inout [UInt8]) {
            bytes.append(0x1b)
            bytes.append(UInt8(ascii: "["))
            bytes += rawValue.utf8
            bytes.append(UInt8(ascii: "m"))
        }
    }

    private(set) var pieces: [(text: String, paint: Paint?)] = []

    init(_ text: String = "", _ paint: Paint? = nil) { if !text.isEmpty { pieces = [(text, paint)] } }
    init(stringLiteral text: String) { self.init(text) }

    static func + (line: TextLine, other: TextLine) -> TextLine {
        var joined = line
        joined.pieces += other.pieces
        return joined
    }

    func render(into bytes: inout [UInt8], color: Bool) {
        for (text, paint) in pieces { Self.render(text, paint, into: &bytes, color: color) }
    }

    /// `text` made inert, in `paint` when `color` is on.
    static func render(_ text: String, _ paint: Paint?, into bytes: inout [UInt8], color: Bool) {
        if color, let paint { paint.start(into: &bytes) }
        Sanitizer.append(text, to: &bytes)
        if color, paint != nil { bytes += reset }
    }

    /// The escape sequence that ends a style.
    static let reset = Array("\u{1b}[0m".utf8)
}
