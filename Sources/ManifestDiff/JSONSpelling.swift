import OCI

/// Telling "the same JSON value" from "the same bytes": the comparison behind the `reserialized`
/// verdict.
extension JSONValue {
    /// Whether two values are the same JSON value: member order ignored, strings compared after
    /// decoding escapes, numbers by their decimal value.
    public func sameValue(as other: JSONValue) -> Bool {
        var spelling = JSONSpelling()
        return sameValue(as: other, noting: &spelling)
    }

    /// When two values are the same JSON value, how they are written differently (nil when they
    /// are different values). One walk answers both.
    public func spellingDifferences(from other: JSONValue) -> JSONSpelling? {
        var spelling = JSONSpelling()
        return sameValue(as: other, noting: &spelling) ? spelling : nil
    }

    private func sameValue(as other: JSONValue, noting spelling: inout JSONSpelling) -> Bool {
        guard kind == other.kind else { return false }
        switch kind {
        case .object:
            guard count == other.count else { return false }
            if zip(members, other.members).allSatisfy({ $0.key.sameText(as: $1.key) }) {
                return zip(members, other.members).allSatisfy { $0.value.sameValue(as: $1.value, noting: &spelling) }
            }
            var byKey: [String: JSONValue] = [:]
            for member in other.members { byKey[member.key.string ?? ""] = member.value }
            guard byKey.count == other.count else { return false }
            for (mine, theirs) in zip(members, other.members) where !mine.key.sameText(as: theirs.key) {
                if mine.key.string == theirs.key.string { spelling.escapes = true } else { spelling.keyOrder = true }
            }
            return members.allSatisfy { member in
                byKey[member.key.string ?? ""].map { member.value.sameValue(as: $0, noting: &spelling) } ?? false
            }
        case .array:
            guard count == other.count else { return false }
            guard let mine = items, let theirs = other.items else { return false }
            return zip(mine, theirs).allSatisfy { $0.sameValue(as: $1, noting: &spelling) }
        case .string:
            if sameText(as: other) { return true }
            guard string == other.string else { return false }
            spelling.escapes = true
            return true
        case .literal:
            if sameText(as: other) { return true }
            guard let x = JSONNumber.decimal(text), let y = JSONNumber.decimal(other.text), x == y else { return false }
            spelling.numbers = true
            return true
        }
    }
}

/// How two documents holding the same JSON value are written differently, beyond whitespace.
public struct JSONSpelling: Equatable, Sendable {
    /// Some object's keys come in another order.
    public var keyOrder = false
    /// Some string or key is escaped differently (`\u00e9` vs `é`).
    public var escapes = false
    /// Some number is spelled differently (`2` vs `2.0`).
    public var numbers = false

    public init() {}

    /// Whether only whitespace differs.
    public var isWhitespaceOnly: Bool { !keyOrder && !escapes && !numbers }
}

/// Numbers compared by value.
enum JSONNumber {
    /// A number's value as (sign, digits without leading zeros, exponent), so `1.0`, `1` and `10e-1` compare equal.
    static func decimal(_ text: String) -> [String]? {
        var chars = Substring(text)
        var negative = false
        if chars.first == "-" { negative = true; chars = chars.dropFirst() }
        var mantissa = chars
        var exponent = 0
        if let e = chars.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(chars[chars.index(after: e)...].replacingOccurrences(of: "+", with: "")) else { return nil }
            exponent = value
            mantissa = chars[..<e]
        }
        var digits = mantissa
        if let dot = mantissa.firstIndex(of: ".") {
            let fraction = mantissa[mantissa.index(after: dot)...]
            exponent -= fraction.count
            digits = mantissa[..<dot] + fraction
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        var trimmed = String(digits.drop { $0 == "0" })
        while trimmed.hasSuffix("0") { trimmed.removeLast(); exponent += 1 }
        if trimmed.isEmpty { return ["0"] }
        return [negative ? "-" : "+", trimmed, String(exponent)]
    }
}
