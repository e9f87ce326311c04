/// Numbers written as decimal ASCII without making a string: tables of tens of thousands of rows
/// write a few numbers a row.
public enum DecimalBytes {
    /// Runs `body` on the decimal ASCII of `value` (a `-` before a negative one).
    @inlinable
    public static func with(_ value: Int64, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        // 19 digits and a sign hold every Int64.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            var rest = value.magnitude
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            if value < 0 {
                start -= 1
                digits[start] = UInt8(ascii: "-")
            }
            body(UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` in decimal ASCII, right-aligned in `width` columns with spaces.
    public mutating func appendDecimal(_ value: Int64, width: Int = 0) {
        DecimalBytes.with(value) { digits in
            if width > digits.count { append(contentsOf: repeatElement(0x20, count: width - digits.count)) }
            append(contentsOf: digits)
        }
    }
}
