import OCI

/// What a request is for: where its answer goes.
enum Purpose: Sendable, Equatable, Hashable {
    case catalog(registry: String, appending: Bool)
    case tags(repository: String)
    case digest(repository: String, tag: String)
    case tree(key: String)
    case diff
    case destination
    case repository(registry: String, name: String)
    case transfer

    /// Requests with the same slot replace each other: a newer question makes the older answer
    /// useless (a reload of the same list, a second diff).
    var slot: Purpose {
        switch self {
        case .catalog(let registry, _): .catalog(registry: registry, appending: false)
        default: self
        }
    }
}

/// The requests `update` has made and not yet had answered. An answer to a request that is not
/// open here — superseded, cancelled, or from a view since closed — is dropped.
struct Requests: Sendable {
    private var next: RequestID = 1
    private var open: [RequestID: Purpose] = [:]

    /// Opens a request for `purpose`. Returns its id and the cancellation of the request it
    /// replaces, if one with the same slot was open (transfers replace nothing).
    mutating func issue(_ purpose: Purpose) -> (RequestID, [Effect]) {
        var effects: [Effect] = []
        if purpose != .transfer, let old = open.first(where: { $0.value.slot == purpose.slot })?.key {
            open[old] = nil
            effects.append(.cancel(old))
        }
        let id = next
        next += 1
        open[id] = purpose
        return (id, effects)
    }

    /// What `id` was for, if it is still open.
    func purpose(of id: RequestID) -> Purpose? { open[id] }

    /// Closes `id` and says what it was for; nil when it was not open.
    mutating func close(_ id: RequestID) -> Purpose? { open.removeValue(forKey: id) }

    /// Closes every open request matching `predicate` and returns their cancellations.
    mutating func cancel(where predicate: (Purpose) -> Bool) -> [Effect] {
        let ids = open.filter { predicate($0.value) }.keys.sorted()
        for id in ids { open[id] = nil }
        return ids.map { .cancel($0) }
    }

    /// Whether any request is open.
    var isEmpty: Bool { open.isEmpty }
}
