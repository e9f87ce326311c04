// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "regtui",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "regtui", targets: ["regtui"]),
    ],
    targets: [
        // C system libraries from Debian. libcurl and libarchive are not linked: CShims opens
        // them on first use (their headers are on the compiler's default path).
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        // No pkgConfig: ncursesw's flags include -D_XOPEN_SOURCE, which SwiftPM refuses; the
        // module map links ncursesw and tinfo itself.
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(name: "CArchive", providers: [.apt(["libarchive-dev"])]),
        // One-line C wrappers for variadic and macro APIs, and libcurl and libarchive opened on first use.
        .target(name: "CShims", dependencies: ["CCurl", "CArchive"]),
        .target(name: "CCursesShims", dependencies: ["CNcursesw"]),

        .target(name: "OCI", dependencies: ["CCrypto"]),
        .target(name: "Registry", dependencies: ["OCI", "CCurl", "CShims"]),
        .target(name: "TransferModel", dependencies: ["OCI"]),
        .target(name: "Stores", dependencies: ["OCI", "Registry", "CArchive", "CShims"]),
        .target(name: "FileTree", dependencies: ["OCI"]),
        .target(name: "LayerFiles", dependencies: ["OCI", "FileTree", "Registry", "Stores", "CArchive", "CShims"]),
        .target(name: "Transfer", dependencies: ["OCI", "Registry", "Stores", "TransferModel"]),
        .target(name: "ManifestDiff", dependencies: ["OCI"]),
        .target(name: "TerminalUI", dependencies: ["OCI"]),
        .target(name: "CursesBackend", dependencies: ["TerminalUI", "CNcursesw", "CCursesShims"]),
        .target(name: "App", dependencies: ["OCI", "FileTree", "ManifestDiff", "TransferModel", "TerminalUI"]),
        .target(name: "Runtime", dependencies: ["App", "TerminalUI", "OCI", "FileTree", "LayerFiles", "Registry", "Stores", "Transfer", "TransferModel", "ManifestDiff"]),
        .executableTarget(name: "regtui",
                          dependencies: ["OCI", "Registry", "Stores", "FileTree", "LayerFiles", "Transfer", "TransferModel", "ManifestDiff", "TerminalUI",
                                         "CursesBackend", "App", "Runtime"]),

        // bench/tui: key-to-redraw of the UI on a large registry.
        .executableTarget(name: "BenchUI", dependencies: ["App", "FileTree", "TerminalUI", "OCI", "Runtime", "Registry"]),
        .target(name: "TestSupport", dependencies: ["OCI", "Registry"], path: "Tests/TestSupport"),
        .testTarget(name: "OCITests", dependencies: ["OCI"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "Stores", "OCI", "TestSupport"]),
        .testTarget(name: "TransferTests", dependencies: ["Transfer", "TransferModel", "Stores", "Registry", "OCI", "TestSupport"]),
        .testTarget(name: "ManifestDiffTests", dependencies: ["ManifestDiff", "OCI"]),
        .testTarget(name: "FileTreeTests", dependencies: ["FileTree", "OCI"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI"]),
        .testTarget(name: "AppTests", dependencies: ["App", "FileTree", "TerminalUI", "OCI", "ManifestDiff", "TransferModel"],
                    exclude: ["Snapshots"]),
        .testTarget(name: "UITests", dependencies: ["OCI", "TestSupport"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "App", "TerminalUI", "OCI", "Registry", "TestSupport"]),
        .testTarget(name: "CursesBackendTests", dependencies: ["CursesBackend", "TerminalUI"]),
        .testTarget(name: "CLITests", dependencies: ["OCI", "Registry", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
