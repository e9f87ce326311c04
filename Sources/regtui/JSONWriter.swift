import Foundation
import OCI

/// Writes indented JSON straight into bytes, handed to `sink` in pieces of about 64 KiB, for
/// reports too large for JSONEncoder to be quick (a diff's parts table can have tens of thousands
/// of rows). Keys are written in the order given.
struct JSONWriter {
    private var bytes: [UInt8] = []
    private var depth = 0
    private var needsComma = [false]
    private let sink: ([UInt8]) -> Void
    private static let spaces = [UInt8](repeating: 0x20, count: 256)

    init(sink: @escaping ([UInt8]) -> Void) {
        self.sink = sink
        bytes.reserveCapacity(Output.pieceSize + 4096)
    }

    /// Ends the document with a newline and hands over what is left.
    mutating func finish() {
        bytes.append(0x0a)
        sink(bytes)
        bytes.removeAll()
    }

    mutating func beginObject() { value(open: "{") }
    mutating func endObject() { close("}") }
    mutating func beginArray() { value(open: "[") }
    mutating func endArray() { close("]") }

    /// `"key": ` inside an object; a value must follow. Keys are ours, written as they are.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":")); bytes.append(UInt8(ascii: " "))
        pendingKey = true
    }

    mutating func string(_ text: String?) {
        guard let text else { return raw("null") }
        separate()
        quoted(text)
        finishValue()
    }

    /// `text` in quotes, escaped as JSON requires.
    private mutating func quoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            if JSONTree.isPlainString(utf8) {
                bytes.append(contentsOf: utf8)
            } else {
                escape(utf8)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ utf8: UnsafeBufferPointer<UInt8>) {
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [0x5c, 0x22]
            case UInt8(ascii: "\\"): bytes += [0x5c, 0x5c]
            case 0x0a: bytes += [0x5c, UInt8(ascii: "n")]
            case 0x0d: bytes += [0x5c, UInt8(ascii: "r")]
            case 0x09: bytes += [0x5c, UInt8(ascii: "t")]
            case 0..<0x20: bytes += Array(String(format: "\\u%04x", byte).utf8)
            default: bytes.append(byte)
            }
        }
    }

    mutating func number(_ value: Int) { raw(String(value)) }
    mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }

    private var pendingKey = false

    private mutating func raw(_ text: String) {
        separate()
        bytes.append(contentsOf: text.utf8)
        finishValue()
    }

    private mutating func value(open: String) {
        separate()
        bytes.append(contentsOf: open.utf8)
        depth += 1
        needsComma.append(false)
    }

    private mutating func close(_ bracket: String) {
        let empty = !needsComma[depth]
        needsComma.removeLast()
        depth -= 1
        if !empty { newline() }
        bytes.append(contentsOf: bracket.utf8)
        finishValue()
    }

    /// Before a value or key: a comma after the previous one, and a new indented line.
    private mutating func separate() {
        if pendingKey {
            pendingKey = false
            return
        }
        if needsComma[depth] { bytes.append(UInt8(ascii: ",")) }
        if depth > 0 { newline() }
    }

    private mutating func finishValue() {
        needsComma[depth] = true
        if bytes.count >= Output.pieceSize {
            sink(bytes)
            bytes.removeAll(keepingCapacity: true)
        }
    }

    private mutating func newline() {
        bytes.append(0x0a)
        bytes.append(contentsOf: Self.spaces.prefix(depth * 2))
    }
}
