import App
import OCI
import Registry
import Stores

/// `regtui catalog REGISTRY`: every repository, following the registry's pages.
struct CatalogCommand: Command {
    static let name = "catalog"
    static let summary = "list the repositories of a registry"
    static let help = """
    Usage: regtui catalog REGISTRY [--json]

    Lists every repository REGISTRY (host[:port]) serves, following its pages to the end.
      --json   print a JSON array
    """
    let registry: String

    init(arguments: inout Arguments) throws(UsageError) {
        let host = try arguments.operand("REGISTRY")
        guard !host.contains("/") else {
            throw UsageError("REGISTRY is a host[:port] such as localhost:5000, not \"\(host)\"")
        }
        do { _ = try Reference(parsing: host + "/x") } catch { throw UsageError("\"\(host)\" is not a valid registry host[:port]") }
        registry = host
    }

    func run(_ context: Context) async throws -> Int32 {
        let list = try await context.client.catalog(registry)
        print(list, skippedWhat: "repository names", json: context.json, to: context.output)
        return ExitStatus.success
    }
}

/// `regtui tags REPOSITORY`: every tag of a repository.
struct TagsCommand: Command {
    static let name = "tags"
    static let summary = "list the tags of a repository, with --long their dates, sizes and platforms"
    static let help = """
    Usage: regtui tags REPOSITORY [--long [--sort name|created|size]] [--json]

    Lists every tag of REPOSITORY (host[:port]/path, or oci:DIR, oci-archive:FILE,
    docker-archive:FILE), in the store's order.
      --long     also each tag's digest, created time (the config's, else the
                 org.opencontainers.image.created annotation), size (config and layers as
                 stored; for an index, each distinct blob of its platforms once) and platforms. Each tag is
                 resolved with one HEAD; what a digest names is cached under
                 $XDG_CACHE_HOME/regtui (or ~/.cache/regtui), at most 32 MiB, so a second run
                 fetches no manifest or config it has seen
      --sort K   with --long: name (natural: v1.9 before v1.10, the default), created (newest
                 first) or size (largest first)
      --json     a JSON array (with --long, of {tag, digest, created, size, platforms})
    """
    enum Order: String { case name, created, size }

    let repository: ImageRef
    let long: Bool
    let order: Order

    init(arguments: inout Arguments) throws(UsageError) {
        long = arguments.flag("--long", "-l")
        if let text = try arguments.option("--sort") {
            guard let order = Order(rawValue: text) else { throw UsageError("--sort takes name, created or size") }
            guard long else { throw UsageError("--sort goes with --long") }
            self.order = order
        } else {
            order = .name
        }
        repository = try parseRepository(arguments.operand("REPOSITORY"))
    }

    func run(_ context: Context) async throws -> Int32 {
        let store = context.store(repository)
        guard long else {
            print(try await store.tags(), skippedWhat: "tag names", json: context.json, to: context.output)
            return ExitStatus.success
        }
        let rows = sorted(try await store.tagSummaries(cache: SummaryCache()).map { TagRow(tag: $0.tag, digest: $0.digest.description, summary: $0.summary) })
        if context.json { context.output.json(rows) } else { context.output.lines(TagRow.table(rows)) }
        return ExitStatus.success
    }

    private func sorted(_ rows: [TagRow]) -> [TagRow] {
        switch order {
        case .name:
            let order = Dictionary(NaturalOrder.sorted(rows.map(\.tag)).enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            return rows.sorted { order[$0.tag, default: 0] < order[$1.tag, default: 0] }
        case .created: return rows.sorted { ($0.summary.created ?? "", $1.tag) > ($1.summary.created ?? "", $0.tag) }
        case .size: return rows.sorted { ($0.summary.size, $1.tag) > ($1.summary.size, $0.tag) }
        }
    }
}

/// One tag of `tags --long`.
struct TagRow: Encodable {
    var tag: String
    var digest: String
    var summary: ManifestSummary

    enum Keys: String, CodingKey { case tag, digest, mediaType, created, size, platforms }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(tag, forKey: .tag)
        try container.encode(digest, forKey: .digest)
        try container.encode(summary.mediaType, forKey: .mediaType)
        try container.encode(summary.created, forKey: .created)
        try container.encode(summary.size, forKey: .size)
        try container.encode(summary.platforms, forKey: .platforms)
    }

    /// Aligned columns: tag, short digest, created, size, platforms.
    static func table(_ rows: [TagRow]) -> [String] {
        let header = ["TAG", "DIGEST", "CREATED", "SIZE", "PLATFORMS"]
        let cells = rows.map { row in
            [row.tag, String(row.digest.prefix(19)), row.summary.created ?? "-", ByteCount.format(row.summary.size),
             row.summary.platforms.compactMap(\.platform).joined(separator: ", ")]
        }
        let widths = (0..<4).map { column in ([header] + cells).map { $0[column].count }.max() ?? 0 }
        return ([header] + cells).map { cell in
            (0..<4).map { cell[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + cell[4]
        }
    }
}

/// Prints a list of names, one a line or as a JSON array, and says how many invalid names the
/// registry sent that were left out.
private func print(_ list: NameList, skippedWhat: String, json: Bool, to output: Output) {
    if json { output.json(list.names) } else { output.lines(list.names) }
    if list.skipped > 0 {
        output.note("regtui: note: the registry also sent \(list.skipped) \(skippedWhat) that are not valid names; they are left out")
    }
}
