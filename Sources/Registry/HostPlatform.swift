import Glibc
import OCI

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
