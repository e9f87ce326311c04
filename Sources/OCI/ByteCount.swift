/// Human-readable byte counts in binary units: `512 B`, `1.5 KiB`, `12.0 MiB`.
public enum ByteCount {
    /// `bytes` in the largest unit that keeps the number under 1024, to a tenth (rounded half up).
    /// Integer arithmetic, and no array made on the way: a diff formats tens of thousands of sizes.
    private static let units = ["KiB", "MiB", "GiB", "TiB"]

    public static func format(_ bytes: Int64) -> String {
        var text: [UInt8] = []
        append(bytes, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// `format(bytes)` appended to `text` as UTF-8.
    public static func append(_ bytes: Int64, to text: inout [UInt8]) {
        if bytes < 1024 {
            text.appendDecimal(bytes)
            text.append(UInt8(ascii: " "))
            text.append(UInt8(ascii: "B"))
            return
        }
        var unit = 0
        var divisor: Int64 = 1024
        while bytes / divisor >= 1024 && unit < units.count - 1 {
            divisor <<= 10
            unit += 1
        }
        let tenths = (bytes / (divisor >> 10) * 10 + 512) / 1024
        text.appendDecimal(tenths / 10)
        text.append(UInt8(ascii: "."))
        text.append(UInt8(48 + tenths % 10))
        text.append(UInt8(ascii: " "))
        text.append(contentsOf: units[unit].utf8)
    }

    /// `format` in as few columns as `ls -h` takes: `512B`, `1.5K`, `12.0M`.
    public static func compact(_ bytes: Int64) -> String {
        let text = format(bytes)
        guard let space = text.firstIndex(of: " ") else { return text }
        return String(text[..<space]) + String(text[text.index(after: space)])
    }
}
