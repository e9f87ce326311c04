import Foundation

/// One challenge of a `WWW-Authenticate` header: a scheme and its parameters.
public struct AuthChallenge: Sendable, Equatable {
    /// The scheme, lower-cased: `basic` or `bearer` (others are kept but not answered).
    public var scheme: String
    /// Parameters with lower-cased names: `realm`, `service`, `scope`, `error`.
    public var parameters: [String: String]

    /// Parses every challenge in a `WWW-Authenticate` value, e.g.
    /// `Bearer realm="https://auth.example/token",service="reg",scope="repository:a:pull"`.
    /// Malformed parts are skipped rather than failing the whole header.
    public static func parse(_ header: String) -> [AuthChallenge] {
        var scanner = HeaderScanner(header)
        var challenges: [AuthChallenge] = []
        while !scanner.atEnd {
            scanner.skip(while: { $0 == " " || $0 == "," || $0 == "\t" })
            guard let scheme = scanner.token(), !scheme.isEmpty else {
                scanner.advance()
                continue
            }
            var challenge = AuthChallenge(scheme: scheme.lowercased(), parameters: [:])
            while true {
                scanner.skip(while: { $0 == " " || $0 == "\t" })
                let mark = scanner.position
                guard let name = scanner.token(), !name.isEmpty else { break }
                scanner.skip(while: { $0 == " " })
                guard scanner.consume("=") else {
                    scanner.position = mark  // a token without "=": the next challenge's scheme
                    break
                }
                scanner.skip(while: { $0 == " " })
                let value = scanner.quotedString() ?? scanner.token() ?? ""
                challenge.parameters[name.lowercased()] = value
                scanner.skip(while: { $0 == " " || $0 == "\t" })
                if !scanner.consume(",") { break }
            }
            challenges.append(challenge)
        }
        return challenges
    }
}

/// The `rel="next"` target of a `Link` header, as registries send for paged lists:
/// `</v2/_catalog?last=b&n=100>; rel="next"`. Nil when there is none or it is malformed.
public func nextLink(_ header: String) -> String? {
    for link in header.split(separator: ",") {
        let parts = link.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let target = parts.first, target.hasPrefix("<"), target.hasSuffix(">"), target.count > 2 else { continue }
        let isNext = parts.dropFirst().contains { parameter in
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "rel" else { return false }
            return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")).split(separator: " ").contains("next")
        }
        if isNext { return String(target.dropFirst().dropLast()) }
    }
    return nil
}

/// A cursor over a header value's bytes, for the RFC 7230 token and quoted-string grammar.
struct HeaderScanner {
    let bytes: [UInt8]
    var position = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    var atEnd: Bool { position >= bytes.count }
    mutating func advance() { position += 1 }

    mutating func skip(while predicate: (Character) -> Bool) {
        while position < bytes.count, predicate(Character(Unicode.Scalar(bytes[position]))) { position += 1 }
    }

    mutating func consume(_ character: Character) -> Bool {
        guard position < bytes.count, Character(Unicode.Scalar(bytes[position])) == character else { return false }
        position += 1
        return true
    }

    /// An RFC 7230 token (also accepting `/`, `:` and `=`-free punctuation used in scopes).
    mutating func token() -> String? {
        let start = position
        while position < bytes.count, Self.isTokenByte(bytes[position]) { position += 1 }
        return position > start ? String(decoding: bytes[start..<position], as: UTF8.self) : nil
    }

    /// A quoted string with backslash escapes; nil when not at a quote.
    mutating func quotedString() -> String? {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
        position += 1
        var value: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "\\"), position < bytes.count {
                value.append(bytes[position])
                position += 1
            } else if byte == UInt8(ascii: "\"") {
                break
            } else {
                value.append(byte)
            }
        }
        return String(decoding: value, as: UTF8.self)
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~/:".utf8.contains(byte)
        }
    }
}
