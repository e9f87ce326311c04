/// The bounds regtui puts on numbers and counts read from registries and files, so that no input
/// can make it trap, loop or run out of memory. Each is far above what real images use; going
/// over one is an error that names the object.
public enum Limits {
    /// The largest blob a descriptor may declare: 16 TiB. Thousands of these still add up
    /// without overflow.
    public static let blobSize: Int64 = 1 << 44
    /// Distinct manifests one index may list (after duplicates are merged).
    public static let indexChildren = 5_000
    /// How deep indexes may nest (an index of indexes of manifests is depth 2).
    public static let indexDepth = 4
    /// Requests for one index's children that run at once.
    public static let childFetches = 8
}

extension Descriptor {
    /// The sum of the descriptors' sizes; an error naming `what` when it does not fit in 63 bits.
    public static func totalSize(_ descriptors: some Sequence<Descriptor>,
                                 in what: @autoclosure () -> String) throws(OCIError) -> Int64 {
        var total: Int64 = 0
        for descriptor in descriptors { total = try add(total, descriptor.size, in: what()) }
        return total
    }

    /// `a + b`, or an error naming `what` when the sum does not fit in 63 bits.
    public static func add(_ a: Int64, _ b: Int64, in what: @autoclosure () -> String) throws(OCIError) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw .invalidManifest(reason: "the sizes in \(what()) add up to more than 2^63 bytes") }
        return sum
    }
}

extension JSONValue {
    /// Throws when this object repeats a key; `place` names the object in the error.
    public func requireUniqueKeys(in place: @autoclosure () -> String) throws(OCIError) {
        guard let (key, offset) = repeatedKey else { return }
        throw .invalidManifest(reason: "\(place()) has the key \"\(key)\" twice (again at byte \(offset), counting from 0); "
                               + "readers disagree on which one counts, so regtui refuses the document")
    }
}
