import Foundation
import OCI

/// One page of a paged list, with where the next page starts.
public struct Page: Sendable, Equatable {
    public var items: [String]
    /// The path (with query) of the next page, or nil on the last page.
    public var next: String?
}

extension RegistryClient {
    /// The first page size asked for; registries cap it (Debian's refuses sizes above its cap).
    static let preferredPageSize = 1000

    /// One page of the repository catalog. Pass the previous page's `next` to continue.
    public func catalogPage(_ registry: String, next: String? = nil) async throws(RegistryError) -> Page {
        let path = next ?? "/v2/_catalog?n=\(Self.preferredPageSize)"
        do {
            return try await listPage(registry, path: path, key: "repositories", scopes: ["registry:catalog:*"],
                                      what: "catalog of \(registry)")
        } catch {
            switch error {
            case .notFound, .status(405, _, _), .status(501, _, _):
                throw .catalogUnavailable(registry: registry, status: error.statusCode ?? 404)
            case .accessDenied(_, _, let status, _) where next == nil:
                throw .catalogUnavailable(registry: registry, status: status)
            default:
                throw error
            }
        }
    }

    /// Every repository in the catalog, following the pages to the end.
    public func catalog(_ registry: String) async throws(RegistryError) -> [String] {
        try await allPages { next throws(RegistryError) in try await catalogPage(registry, next: next) }
    }

    /// One page of a repository's tags.
    public func tagsPage(_ repository: Reference, next: String? = nil) async throws(RegistryError) -> Page {
        let path = next ?? "/v2/\(repository.repository)/tags/list?n=\(Self.preferredPageSize)"
        return try await listPage(repository.registry, path: path, key: "tags", scopes: [Self.pullScope(repository)],
                                  what: "tags of \(repository.name)")
    }

    /// Every tag of a repository, following the pages to the end, in the registry's order.
    public func tags(_ repository: Reference) async throws(RegistryError) -> [String] {
        try await allPages { next throws(RegistryError) in try await tagsPage(repository, next: next) }
    }

    /// Every item of a paged list: `page(nil)` for the first page, then each page's `next`.
    /// A `Link` that leads back to a page already read is an error, not an endless loop.
    private func allPages(_ page: (String?) async throws(RegistryError) -> Page) async throws(RegistryError) -> [String] {
        var current = try await page(nil)
        var items = current.items
        var seen: Set<String> = []
        while let next = current.next {
            guard seen.insert(next).inserted else {
                throw .badResponse(what: "a paged list", reason: "the Link header leads back to \(Sanitizer.inline(next, limit: 120)), a page already read, not at a next page")
            }
            current = try await page(next)
            items += current.items
        }
        return items
    }

    /// Whether `repository` exists: false only when the registry says it does not know the name
    /// (404), so a caller can skip asking about each blob of a new repository.
    public func repositoryExists(_ repository: Reference) async throws(RegistryError) -> Bool {
        let response = try await send(repository.registry, "GET", "/v2/\(repository.repository)/tags/list?n=1",
                                      scopes: [Self.pullScope(repository)], maxBufferedBody: 64 << 20,
                                      what: "tags of \(repository.name)")
        return response.status != 404
    }

    /// Gets a list page. A registry that refuses the page size (400 `PAGINATION_NUMBER_INVALID`)
    /// is asked again without one, so it uses its own; a `Link` to the page just read ends the list.
    private func listPage(_ registry: String, path: String, key: String, scopes: [String], what: String) async throws(RegistryError) -> Page {
        var path = path
        var response = try await send(registry, "GET", path, scopes: scopes, maxBufferedBody: 64 << 20, what: what)
        if response.status == 400, RegistryError.details(from: response.body).contains(where: { $0.code == "PAGINATION_NUMBER_INVALID" }),
           var components = URLComponents(string: path) {
            components.queryItems = components.queryItems?.filter { $0.name != "n" }
            if components.queryItems?.isEmpty == true { components.queryItems = nil }
            path = components.string ?? path
            response = try await send(registry, "GET", path, scopes: scopes, maxBufferedBody: 64 << 20, what: what)
        }
        guard response.status == 200 else { throw failure(response, registry: registry, what: what) }
        guard let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
            throw .badResponse(what: what, reason: "the body is not a JSON object")
        }
        let items: [String]
        switch object[key] {
        case nil, is NSNull: items = []
        case let list as [String]: items = list
        default: throw .badResponse(what: what, reason: "\"\(key)\" is not a list of strings")
        }
        var next = response.headers["Link"].flatMap(nextLink)
        if let target = next {
            guard let resolved = URL(string: target, relativeTo: URL(string: "http://registry\(path.hasPrefix("/") ? "" : "/")\(path)")) else {
                throw .badResponse(what: what, reason: "the Link header's target is not a URL")
            }
            let relative = resolved.path + (resolved.query.map { "?\($0)" } ?? "")
            guard relative.hasPrefix("/v2/"), relative != path, !items.isEmpty else {
                throw .badResponse(what: what, reason: "the Link header points at \(Sanitizer.inline(target, limit: 120)), not at a next page")
            }
            next = relative
        }
        return Page(items: items, next: next)
    }

    static func pullScope(_ repository: Reference) -> String { "repository:\(repository.repository):pull" }
    static func pushScope(_ repository: Reference) -> String { "repository:\(repository.repository):pull,push" }
}

extension RegistryError {
    /// The HTTP status behind the error, when there is one.
    public var statusCode: Int? {
        switch self {
        case .status(let status, _, _), .accessDenied(_, _, let status, _), .catalogUnavailable(_, let status): status
        case .notFound: 404
        case .authenticationRequired: 401
        default: nil
        }
    }
}
