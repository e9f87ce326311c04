import OCI

/// What a request is for: where its answer goes.
enum Purpose: Sendable, Equatable, Hashable {
    case catalog(registry: String, appending: Bool)
    case tags(repository: String)
    case summary(repository: String, tag: String)
    case tree(key: String)
    case diff
    case destination
    case repository(registry: String, name: String)
    case transfer
    case deletePlan
    case delete
    case addTags
    case files
    case fileContent
    case fileChanges

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
    /// The open request in each slot (transfers have none: they never replace each other).
    private var bySlot: [Purpose: RequestID] = [:]

    /// Opens a request for `purpose`. Returns its id and the cancellation of the request it
    /// replaces, if one with the same slot was open.
    mutating func issue(_ purpose: Purpose) -> (RequestID, [Effect]) {
        var effects: [Effect] = []
        let id = next
        next += 1
        open[id] = purpose
        if purpose != .transfer {
            if let old = bySlot.updateValue(id, forKey: purpose.slot) {
                open[old] = nil
                effects.append(.cancel(old))
            }
        }
        return (id, effects)
    }

    /// What `id` was for, if it is still open.
    func purpose(of id: RequestID) -> Purpose? { open[id] }

    /// Closes `id` and says what it was for; nil when it was not open.
    mutating func close(_ id: RequestID) -> Purpose? {
        guard let purpose = open.removeValue(forKey: id) else { return nil }
        if bySlot[purpose.slot] == id { bySlot[purpose.slot] = nil }
        return purpose
    }
}
