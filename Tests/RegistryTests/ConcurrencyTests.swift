import Registry
import Synchronization
import Testing

/// Shared state for the tasks of a test.
private final class Shared<Value: Sendable>: Sendable {
    let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
}

@Suite struct ConcurrencyTests {
    /// A cancelled copy's queued blobs must never start: a waiter that is cancelled leaves the
    /// queue at once, and its place goes to the next.
    @Test func aCancelledWaiterNeverRunsAndFreesNothingItDidNotHold() async throws {
        let limiter = Limiter(limit: 1)
        let started = Shared<[String]>([])
        let (release, releaseContinuation) = AsyncStream<Void>.makeStream()
        let (holding, holdingContinuation) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await limiter.run {
                started.value.withLock { $0.append("holder") }
                holdingContinuation.yield()
                for await _ in release { break }
            }
        }
        for await _ in holding { break }
        let waiter = Task { try await limiter.run { started.value.withLock { $0.append("waiter") } } }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        releaseContinuation.yield()
        try await holder.value
        try await limiter.run { started.value.withLock { $0.append("after") } }
        #expect(started.value.withLock { $0 } == ["holder", "after"])
    }

    @Test func concurrentMapKeepsOrderAndBoundsConcurrency() async throws {
        let running = Shared((now: 0, most: 0))
        let results = try await concurrentMap(Array(0..<50), limit: 4) { (item: Int) throws(RegistryError) -> Int in
            running.value.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            await Task.yield()
            running.value.withLock { $0.now -= 1 }
            return item * 2
        }
        #expect(results == (0..<50).map { $0 * 2 })
        #expect(running.value.withLock { $0.most } <= 4)
    }
}
