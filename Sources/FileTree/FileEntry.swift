import OCI

/// One entry of a layer or of an image's merged filesystem.
public struct FileEntry: Sendable, Hashable, Encodable {
    /// What an entry is.
    public enum Kind: String, Sendable, Encodable {
        case file, dir, symlink, hardlink, other
        /// A layer's `.wh.NAME` (deletes NAME below) or `.wh..wh..opq` (hides the directory's
        /// lower contents). Seen only in one layer's own listing, never in a merged filesystem.
        case whiteout
        case opaque
    }

    /// Absolute, starting with `/`, without a trailing `/`; for a whiteout, the path it deletes.
    public var path: String
    public var type: Kind
    /// Permission and mode bits (`0o755`), without the file type.
    public var mode: UInt32
    public var uid: Int64
    public var gid: Int64
    /// Bytes of a regular file; 0 for everything else.
    public var size: Int64
    /// A symlink's target as written, or the absolute path a hardlink links to.
    public var linkTarget: String?
    /// Seconds since 1970.
    public var mtime: Int64
    /// The sha256 of a regular file's bytes, when it was asked for.
    public var sha256: Digest? {
        get { hash?.digest }
        set { hash = newValue.map(HashBox.init) }
    }
    /// Out of line: most entries have none (a listing hashes nothing), and a digest inline is
    /// 72 bytes, for each of a million entries.
    private var hash: HashBox?
    /// The 1-based layer that last wrote it.
    public var layer: Int

    public init(path: String, type: Kind, mode: UInt32, uid: Int64 = 0, gid: Int64 = 0, size: Int64 = 0,
                linkTarget: String? = nil, mtime: Int64 = 0, sha256: Digest? = nil, layer: Int) {
        self.path = path
        self.type = type
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.size = size
        self.linkTarget = linkTarget
        self.mtime = mtime
        self.hash = sha256.map(HashBox.init)
        self.layer = layer
    }

    /// The mode as `chmod` takes it: `0755`.
    public var octalMode: String {
        let digits = String(mode & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// `drwxr-xr-x` as `ls -l` writes it.
    public var modeString: String {
        let kind: Character = switch type {
        case .dir: "d"
        case .symlink: "l"
        case .file, .hardlink: "-"
        case .whiteout, .opaque: "w"
        case .other: "?"
        }
        var text = String(kind)
        for shift in stride(from: 6, through: 0, by: -3) {
            let bits = mode >> UInt32(shift)
            text += (bits & 4 != 0 ? "r" : "-") + (bits & 2 != 0 ? "w" : "-") + (bits & 1 != 0 ? "x" : "-")
        }
        return text
    }

    /// The path normalised as every entry's: `/` plus the components, `.` dropped, `..` taken
    /// back a level but never above the root (as the kernel resolves it inside a container's
    /// root, and as engines apply layers: `../x` lands at `/x`), no trailing `/`.
    public static func normalise(_ raw: String) -> String {
        var parts: [Substring] = []
        for part in raw.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                _ = parts.popLast()
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// A file's digest, shared by the copies of its entry.
    private final class HashBox: Hashable, Sendable {
        let digest: Digest

        init(_ digest: Digest) { self.digest = digest }

        static func == (lhs: HashBox, rhs: HashBox) -> Bool { lhs.digest == rhs.digest }
        func hash(into hasher: inout Hasher) { hasher.combine(digest) }
    }

    enum CodingKeys: String, CodingKey {
        case path, type, mode, uid, gid, size, linkTarget, mtime, sha256, layer
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(type, forKey: .type)
        try container.encode(octalMode, forKey: .mode)
        try container.encode(uid, forKey: .uid)
        try container.encode(gid, forKey: .gid)
        try container.encode(size, forKey: .size)
        try container.encodeIfPresent(linkTarget, forKey: .linkTarget)
        try container.encode(mtime, forKey: .mtime)
        try container.encodeIfPresent(sha256, forKey: .sha256)
        try container.encode(layer, forKey: .layer)
    }
}
