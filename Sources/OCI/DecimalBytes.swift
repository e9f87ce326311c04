extension Array where Element == UInt8 {
    /// Appends `value` in decimal ASCII, right-aligned in `width` columns with spaces: tables of
    /// tens of thousands of rows write their numbers without making a string each.
    public mutating func appendDecimal(_ value: Int64, width: Int = 0) {
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
            let count = digits.count - start
            if width > count { append(contentsOf: repeatElement(0x20, count: width - count)) }
            append(contentsOf: UnsafeMutableBufferPointer(rebasing: digits[start...]))
        }
    }
}
