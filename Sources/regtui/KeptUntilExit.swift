import Synchronization

/// Values kept alive until the process ends. regtui ends with `_exit`, which gives all memory
/// back at once; a diff of two 4 MiB manifests holds some 200,000 small objects, and freeing
/// them one by one took longer than writing the diff did.
enum KeptUntilExit {
    private static let values = Mutex<[any Sendable]>([])

    /// Keeps `value` until the process ends.
    static func keep(_ value: any Sendable) { values.withLock { $0.append(value) } }
}
