import Synchronization

/// Lets at most `limit` operations run at once; the rest wait their turn in order. A waiter
/// that is cancelled leaves the queue at once and never runs.
public final class Limiter: Sendable {
    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Void, any Error>
    }
    private struct State {
        var running = 0
        var nextID = 0
        var waiting: [Waiter] = []
    }
    private let limit: Int
    private let state = Mutex(State())

    public init(limit: Int) { self.limit = max(1, limit) }

    /// Runs `operation` when a place is free; throws `CancellationError` if cancelled first.
    public func run<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await operation()
    }

    private func acquire() async throws {
        let id = state.withLock { state -> Int? in
            if state.running < limit {
                state.running += 1
                return nil
            }
            state.nextID += 1
            return state.nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelledAlready = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    state.waiting.append(Waiter(id: id, continuation: continuation))
                    return false
                }
                if cancelledAlready { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiting.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiting.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Hands the place to the next waiter, or frees it.
    private func release() {
        let next = state.withLock { state -> Waiter? in
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.continuation.resume()
    }
}

/// `transform` applied to each of `items`, at most `limit` at once, results in the items' order.
/// The first error cancels the rest and is thrown.
public func concurrentMap<Item: Sendable, Result: Sendable>(
    _ items: [Item], limit: Int, _ transform: @escaping @Sendable (Item) async throws(RegistryError) -> Result
) async throws(RegistryError) -> [Result] {
    let limiter = Limiter(limit: limit)
    do {
        return try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            for (position, item) in items.enumerated() {
                group.addTask { (position, try await limiter.run { try await transform(item) }) }
            }
            var results = [Result?](repeating: nil, count: items.count)
            for try await (position, result) in group { results[position] = result }
            return results.map { $0! }
        }
    } catch {
        throw RegistryError(bridging: error)
    }
}
