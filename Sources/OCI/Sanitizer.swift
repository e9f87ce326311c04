/// Makes untrusted text from registries safe to print: control characters and escape sequences
/// become visible, inert `\u{…}` text.
public enum Sanitizer {
    /// `text` on one line, control characters (C0, DEL, C1) and bidi overrides escaped, cut to `limit` characters.
    public static func inline(_ text: String, limit: Int = .max) -> String {
        if limit == .max, isPrintableASCII(text) || !text.unicodeScalars.contains(where: isUnsafe) { return text }
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit { result += "…"; break }
            if isUnsafe(scalar) {
                result += escaped(scalar)
            } else {
                result.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return result
    }

    /// Whether `text` is printable ASCII only: the common case, checked byte by byte.
    static func isPrintableASCII(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7f } }
    }

    /// `\x1b` for C0/C1 controls, `\u{202e}` for the rest.
    static func escaped(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        if scalar.value < 0x100 { return "\\x" + (hex.count < 2 ? "0" : "") + hex }
        return "\\u{" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "}"
    }

    /// Whether a scalar could act on a terminal: C0 and C1 controls, DEL, and bidirectional overrides.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7f...0x9f).contains(value) || (0x202a...0x202e).contains(value)
            || (0x2066...0x2069).contains(value)
    }
}
