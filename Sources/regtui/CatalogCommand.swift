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
    static let summary = "list the tags of a repository"
    static let help = """
    Usage: regtui tags REPOSITORY [--json]

    Lists every tag of REPOSITORY (host[:port]/path, or oci:DIR, oci-archive:FILE,
    docker-archive:FILE), in the store's order.
      --json   print a JSON array
    """
    let repository: ImageRef

    init(arguments: inout Arguments) throws(UsageError) { repository = try parseRepository(arguments.operand("REPOSITORY")) }

    func run(_ context: Context) async throws -> Int32 {
        let list = try await context.store(repository).tags()
        print(list, skippedWhat: "tag names", json: context.json, to: context.output)
        return ExitStatus.success
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
