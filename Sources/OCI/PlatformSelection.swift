#if canImport(Glibc)
import Glibc
#endif

extension ImageIndex {
    /// The platforms the index offers, in its order (entries without a platform are left out).
    public var platforms: [Platform] { manifests.compactMap(\.platform) }

    /// The first entry whose platform matches `wanted`, as a container engine would pick it.
    public func descriptor(for wanted: Platform) -> Descriptor? {
        manifests.first { $0.platform?.matches(wanted) == true }
    }
}

extension Platform {
    /// The platform of this machine (`linux/amd64`, `linux/arm64`, …), which a container engine pulls by default.
    public static var host: Platform {
        var name = utsname()
        uname(&name)
        let machine = withUnsafeBytes(of: &name.machine) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return Platform(os: "linux", architecture: machine).normalized
    }
}
