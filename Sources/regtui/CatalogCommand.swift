import OCI
import Registry

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
        let names = try await context.client.catalog(registry)
        if context.json { context.output.json(names) } else { context.output.lines(names.lazy.map(safe)) }
        return ExitStatus.success
    }
}

/// `regtui tags REPOSITORY`: every tag of a repository.
struct TagsCommand: Command {
    static let name = "tags"
    static let summary = "list the tags of a repository"
    static let help = """
    Usage: regtui tags REPOSITORY [--json]

    Lists every tag of REPOSITORY (host[:port]/path), in the registry's order.
      --json   print a JSON array
    """
    let repository: Reference

    init(arguments: inout Arguments) throws(UsageError) {
        let text = try arguments.operand("REPOSITORY")
        do { repository = try Reference(parsingRepository: text) } catch { throw UsageError(error.description) }
    }

    func run(_ context: Context) async throws -> Int32 {
        let tags = try await context.client.tags(repository)
        if context.json { context.output.json(tags) } else { context.output.lines(tags.lazy.map(safe)) }
        return ExitStatus.success
    }
}
