import Foundation

/// A content digest such as `sha256:2605a2c4…`: the algorithm and the lower-case hex of the hash
/// of some exact bytes. Registries address every manifest and blob by one.
public struct Digest: Hashable, Sendable, CustomStringConvertible, Comparable, Codable {
    /// The hash algorithms regtui can compute and verify.
    public enum Algorithm: String, Sendable, CaseIterable, Codable {
        case sha256, sha512

        /// Length of the hex-encoded hash.
        public var hexLength: Int { self == .sha256 ? 64 : 128 }

        /// The algorithm named `name` (as written before the colon), if regtui knows it.
        init?(named name: UnsafeRawBufferPointer) {
            guard let known = Self.allCases.first(where: { known in
                name.count == known.name.utf8CodeUnitCount && memcmp(name.baseAddress!, known.name.utf8Start, name.count) == 0
            }) else { return nil }
            self = known
        }

        /// The name as written before the colon.
        var name: StaticString { self == .sha256 ? "sha256" : "sha512" }
    }

    public let algorithm: Algorithm
    /// The hash's bytes (32 for sha256, the rest zero), kept inline: a manifest can hold tens of
    /// thousands of digests, which then cost no allocation and no reference count.
    private let hash: Hash
    private typealias Hash = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

    /// `algorithm:hex`, as registries write it.
    public var description: String {
        var text = ""
        withText { text = String(decoding: $0, as: UTF8.self) }
        return text
    }

    /// Runs `body` on the UTF-8 of `algorithm:hex`, without making a string: a table can print
    /// tens of thousands of digests.
    /// (Not generic, so callers in other modules need no generic metadata: it is called once a
    /// row.)
    public func withText(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let name = algorithm.name
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.longestText) { text in
            _ = text.initialize(from: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            text[name.utf8CodeUnitCount] = UInt8(ascii: ":")
            let digits = writeHex(into: UnsafeMutableBufferPointer(rebasing: text[(name.utf8CodeUnitCount + 1)...]), digits: algorithm.hexLength)
            body(UnsafeBufferPointer(rebasing: text[..<(name.utf8CodeUnitCount + 1 + digits)]))
        }
    }

    /// The length of the longest digest's text (`sha512:` and 128 hex digits).
    private static let longestText = 7 + 128

    /// Lower-case hex encoding of the hash.
    public var hex: String { hexPrefix(algorithm.hexLength) }

    /// The first 12 hex digits, as container engines show image IDs.
    public var short: String { hexPrefix(12) }

    private func hexPrefix(_ digits: Int) -> String {
        String(unsafeUninitializedCapacity: digits) { writeHex(into: $0, digits: digits) }
    }

    /// Writes the first `digits` (an even number) hex digits of the hash into `buffer`; returns
    /// how many.
    private func writeHex(into buffer: UnsafeMutableBufferPointer<UInt8>, digits: Int) -> Int {
        precondition(digits % 2 == 0 && digits <= buffer.count && digits <= 2 * MemoryLayout<Hash>.size)
        guard let out = buffer.baseAddress else { return 0 }
        withUnsafeBytes(of: hash) { hash in
            Self.hexPairs.withUnsafeBufferPointer { pairs in
                let raw = UnsafeMutableRawPointer(out)
                for index in 0..<digits / 2 {
                    raw.storeBytes(of: pairs[Int(hash.load(fromByteOffset: index, as: UInt8.self))], toByteOffset: 2 * index, as: UInt16.self)
                }
            }
        }
        return digits
    }

    /// Each byte's two hex digits, as they lie in memory.
    private static let hexPairs: [UInt16] = (0..<256).map { byte in
        func digit(_ nibble: Int) -> UInt16 { UInt16(nibble < 10 ? 48 + nibble : 87 + nibble) }
        return UInt16(littleEndian: digit(byte >> 4) | digit(byte & 0xf) << 8)
    }

    /// Parses `algorithm:hex`, strictly: a known algorithm, lower-case hex of the right length.
    public init(parsing text: String) throws(OCIError) {
        var text = text
        let checked = text.withUTF8 { utf8 in Self.check(UnsafeRawBufferPointer(utf8)).map { Digest(algorithm: $0, checked: UnsafeRawBufferPointer(utf8)) } }
        switch checked {
        case .success(let digest): self = digest
        case .failure(let flaw): throw .invalidDigest(text, reason: flaw.reason)
        }
    }

    /// Parses string `index` of a parsed document, reading its bytes where they lie: a manifest
    /// can hold tens of thousands.
    init(json view: JSONView, _ index: Int) throws(OCIError) {
        guard !view.isEscaped(index) else { try self.init(parsing: view.string(index)); return }
        let bytes = view.text(index, trim: 1)
        switch Self.check(bytes) {
        case .success(let algorithm): self.init(algorithm: algorithm, checked: bytes)
        case .failure(let flaw): throw .invalidDigest(view.string(index), reason: flaw.reason)
        }
    }

    /// Why some text is not a digest.
    private struct Flaw: Error {
        let reason: String
    }

    /// The algorithm of `utf8` when it is `algorithm:hex` with a known algorithm and lower-case
    /// hex of its length.
    private static func check(_ utf8: UnsafeRawBufferPointer) -> Result<Algorithm, Flaw> {
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")) else {
            return .failure(Flaw(reason: "expected the form algorithm:hex, e.g. sha256:<64 hex digits>"))
        }
        let name = UnsafeRawBufferPointer(rebasing: utf8[..<colon])
        guard let algorithm = Algorithm(named: name) else {
            return .failure(Flaw(reason: "unsupported algorithm \"\(String(decoding: name, as: UTF8.self))\" (use sha256 or sha512)"))
        }
        let hexCount = utf8.count - colon - 1
        guard hexCount == algorithm.hexLength else {
            return .failure(Flaw(reason: "\(algorithm.rawValue) needs \(algorithm.hexLength) hex digits, found \(hexCount)"))
        }
        guard isLowerHex(UnsafeRawBufferPointer(rebasing: utf8[(colon + 1)...])) else {
            return .failure(Flaw(reason: "the hash must be lower-case hex digits 0-9a-f"))
        }
        return .success(algorithm)
    }

    /// Whether every byte is 0-9 or a-f. Eight at a time: a manifest can hold tens of thousands
    /// of digests. A byte is a digit when adding 0x50 sets its 0x80 bit and adding 0x46 does not
    /// (0x30…0x39); a letter the same with 0x1f and 0x19 (0x61…0x66). Bytes of 0x80 and above are
    /// ruled out first, so no addition carries into the next byte.
    private static func isLowerHex(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            guard word & high == 0 else { return false }
            let digit = (word &+ ones &* 0x50) & ~(word &+ ones &* 0x46)
            let letter = (word &+ ones &* 0x1f) & ~(word &+ ones &* 0x19)
            guard (digit | letter) & high == high else { return false }
            index += 8
        }
        return bytes[index...].allSatisfy { $0 &- 48 < 10 || $0 &- 97 < 6 }
    }

    /// The digest written `text`, which `check` found to be valid for `algorithm`. Eight hex
    /// digits at a time: a digit's value is its low four bits, plus 9 for a letter (bit 6 set);
    /// then each pair of values becomes a byte, and the four bytes are packed together.
    private init(algorithm: Algorithm, checked text: UnsafeRawBufferPointer) {
        precondition(text.count >= algorithm.hexLength && algorithm.hexLength % 8 == 0)
        var hash: Hash = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &hash) { hash in
            let hex = text.baseAddress! + (text.count - algorithm.hexLength)
            let ones: UInt64 = 0x0101_0101_0101_0101, lowNibbles: UInt64 = 0x0f0f_0f0f_0f0f_0f0f, evenLanes: UInt64 = 0x000f_000f_000f_000f
            for group in 0..<algorithm.hexLength / 8 {
                let digits = UInt64(littleEndian: hex.loadUnaligned(fromByteOffset: 8 * group, as: UInt64.self))
                let values = (digits & lowNibbles) &+ ((digits >> 6) & ones) &* 9
                let pairs = (values & evenLanes) << 4 | (values >> 8) & evenLanes
                let bytes = pairs & 0xff | (pairs >> 8) & 0xff00 | (pairs >> 16) & 0xff_0000 | (pairs >> 24) & 0xff00_0000
                hash.storeBytes(of: UInt32(truncatingIfNeeded: bytes).littleEndian, toByteOffset: 4 * group, as: UInt32.self)
            }
        }
        self.algorithm = algorithm
        self.hash = hash
    }

    /// The digest whose hash is `bytes` (32 for sha256, 64 for sha512).
    init(algorithm: Algorithm, hash bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == algorithm.hexLength / 2, "a \(algorithm) hash has \(algorithm.hexLength / 2) bytes")
        var hash: Hash = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &hash) { $0.copyMemory(from: bytes) }
        self.algorithm = algorithm
        self.hash = hash
    }

    /// The digest of `bytes` with `algorithm`.
    public static func of<Bytes: DataProtocol>(_ bytes: Bytes, algorithm: Algorithm = .sha256) -> Digest {
        var hasher = DigestHasher(algorithm: algorithm)
        hasher.update(bytes)
        return hasher.finish()
    }

    public static func == (lhs: Digest, rhs: Digest) -> Bool {
        lhs.algorithm == rhs.algorithm && compare(lhs.hash, rhs.hash) == 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(algorithm)
        withUnsafeBytes(of: hash) { hasher.combine(bytes: $0) }
    }

    /// In the order of their text: the algorithm's name, then the hex.
    public static func < (lhs: Digest, rhs: Digest) -> Bool {
        lhs.algorithm != rhs.algorithm ? lhs.algorithm.rawValue < rhs.algorithm.rawValue : compare(lhs.hash, rhs.hash) < 0
    }

    private static func compare(_ x: Hash, _ y: Hash) -> Int32 {
        withUnsafeBytes(of: x) { x in withUnsafeBytes(of: y) { y in memcmp(x.baseAddress!, y.baseAddress!, x.count) } }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

