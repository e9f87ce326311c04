import Foundation
import OCI

/// One page of a paged list, with where the next page starts.
public struct Page: Sendable, Equatable {
    public var items: [String]
    /// The path (with query) of the next page, or nil on the last page.
    public var next: String?
    /// Names on the page that are not valid repository or tag names, left out.
    public var skipped = 0
    /// The page's size in bytes, as received.
    public var bytes = 0
}

/// A whole list, as read page by page.
public struct NameList: Sendable, Equatable {
    public var names: [String] = []
    /// Names left out because they are not valid repository or tag names.
    public var skipped = 0

    public init(names: [String] = [], skipped: Int = 0) {
        self.names = names
        self.skipped = skipped
    }
}

extension RegistryClient {
    /// The first page size asked for; registries cap it (Debian's refuses sizes above its cap).
    static let preferredPageSize = 1000
    /// The most names one list may hold, across its pages.
    public static let maxListNames = 1_000_000
    /// The most bytes one list's pages may add up to.
    public static let maxListBytes = 128 << 20
    /// The largest single page.
    static let maxPageBytes = 64 << 20

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
    public func catalog(_ registry: String) async throws(RegistryError) -> NameList {
        try await allPages(what: "the catalog of \(registry)") { next throws(RegistryError) in try await catalogPage(registry, next: next) }
    }

    /// One page of a repository's tags.
    public func tagsPage(_ repository: Reference, next: String? = nil) async throws(RegistryError) -> Page {
        let path = next ?? "/v2/\(repository.repository)/tags/list?n=\(Self.preferredPageSize)"
        return try await listPage(repository.registry, path: path, key: "tags", scopes: [Self.pullScope(repository)],
                                  what: "tags of \(repository.name)")
    }

    /// Every tag of a repository, following the pages to the end, in the registry's order.
    public func tags(_ repository: Reference) async throws(RegistryError) -> NameList {
        try await allPages(what: "the tags of \(repository.name)") { next throws(RegistryError) in try await tagsPage(repository, next: next) }
    }

    /// Every item of a paged list: `page(nil)` for the first page, then each page's `next`.
    /// A `Link` that leads back to a page already read is an error, not an endless loop, and a
    /// list that grows past `maxListNames` names or `maxListBytes` bytes is given up.
    private func allPages(what: String, _ page: (String?) async throws(RegistryError) -> Page) async throws(RegistryError) -> NameList {
        var current = try await page(nil)
        var list = NameList(names: current.items, skipped: current.skipped)
        var bytes = current.bytes
        var seen: Set<String> = []
        while let next = current.next {
            guard seen.insert(next).inserted else {
                throw .badResponse(what: what, reason: "the Link header leads back to \(clipped(next, 120)), a page already read, not at a next page")
            }
            current = try await page(next)
            list.names += current.items
            list.skipped += current.skipped
            bytes += current.bytes
            if list.names.count > Self.maxListNames || bytes > Self.maxListBytes {
                throw .tooLarge(what: what, reason: "the registry is still sending pages after \(list.names.count) names in \(bytes >> 20) MiB, more than the \(Self.maxListNames) names or \(Self.maxListBytes >> 20) MiB regtui reads; stopped after \(seen.count + 1) pages")
            }
        }
        return list
    }

    /// Whether `repository` exists: false only when the registry says it does not know the name
    /// (404), so a caller can skip asking about each blob of a new repository.
    public func repositoryExists(_ repository: Reference) async throws(RegistryError) -> Bool {
        let response = try await send(repository.registry, "GET", "/v2/\(repository.repository)/tags/list?n=1",
                                      scopes: [Self.pullScope(repository)], maxBufferedBody: Self.maxPageBytes,
                                      what: "tags of \(repository.name)")
        return response.status != 404
    }

    /// Gets a list page. A registry that refuses the page size (400 `PAGINATION_NUMBER_INVALID`)
    /// is asked again without one, so it uses its own; a `Link` to the page just read ends the list.
    private func listPage(_ registry: String, path: String, key: String, scopes: [String], what: String) async throws(RegistryError) -> Page {
        var path = path
        var response = try await send(registry, "GET", path, scopes: scopes, maxBufferedBody: Self.maxPageBytes, what: what)
        if response.status == 400, RegistryError.details(from: response.body).contains(where: { $0.code == "PAGINATION_NUMBER_INVALID" }),
           var components = URLComponents(string: path) {
            components.queryItems = components.queryItems?.filter { $0.name != "n" }
            if components.queryItems?.isEmpty == true { components.queryItems = nil }
            path = components.string ?? path
            response = try await send(registry, "GET", path, scopes: scopes, maxBufferedBody: Self.maxPageBytes, what: what)
        }
        guard response.status == 200 else { throw failure(response, registry: registry, what: what) }
        let page: NameListPage
        do {
            page = try NameListPage(response.body, key: key,
                                    isValid: { key == "tags" ? Reference.isValidTag($0) : Reference.isValidRepository($0) })
        } catch {
            throw .badResponse(what: what, reason: "not a list of names: \(error.message) at byte \(error.offset)")
        }
        let items = page.names
        var next = response.headers["Link"].flatMap(nextLink)
        if let target = next {
            guard let resolved = URL(string: target, relativeTo: URL(string: "http://registry\(path.hasPrefix("/") ? "" : "/")\(path)")) else {
                throw .badResponse(what: what, reason: "the Link header's target is not a URL")
            }
            let relative = resolved.path + (resolved.query.map { "?\($0)" } ?? "")
            guard relative.hasPrefix("/v2/"), relative != path, !items.isEmpty || page.skipped > 0 else {
                throw .badResponse(what: what, reason: "the Link header points at \(clipped(target, 120)), not at a next page")
            }
            next = relative
        }
        return Page(items: items, next: next, skipped: page.skipped, bytes: response.body.count)
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
