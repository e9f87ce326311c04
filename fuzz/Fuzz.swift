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
    switch data[0] % 9 {
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
    default: _ = try? Manifest(bytes: Data(bytes))
    }
    return 0
}
