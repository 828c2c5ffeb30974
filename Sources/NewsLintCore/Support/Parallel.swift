import Dispatch
import Foundation
import Synchronization

/// Runs `body` for indices `0..<count` on `jobs` threads, pulling work dynamically
/// (files vary in size), and returns results in index order: output never depends on `jobs`.
public func parallelMap<T: Sendable>(count: Int, jobs: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let workers = max(1, min(jobs, count))
    if workers == 1 { return (0..<count).map(body) }
    let next = WorkCounter()
    // Workers initialise the result array's own storage in place: no second copy of all results.
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        guard let base = buffer.baseAddress else { return }
        let slots = UncheckedSlots(base: base)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = next.take(limit: count) { (slots.base + i).initialize(to: body(i)) }
        }
        initialized = count
    }
}

/// The result storage shared by workers; each index is initialised by exactly one worker.
package struct UncheckedSlots<T>: @unchecked Sendable {
    package let base: UnsafeMutablePointer<T>
}

/// Hands out indices to workers: one atomic add an index (a lock an index put a worker that
/// found it held to sleep).
package final class WorkCounter: Sendable {
    private let next = Atomic<Int>(0)
    package func take(limit: Int) -> Int? {
        // Past `limit` it goes on counting, by at most one a worker: each stops at its first nil.
        let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
        return i < limit ? i : nil
    }
}

/// A mutex-protected value for state shared across worker threads.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    public init(_ value: Value) { self.value = value }
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// Number of active processor cores (the default for `--jobs`).
public var activeCoreCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

/// Runs `body` for indices `0..<count` on `jobs` threads and hands every result to `deliver`
/// in index order, one at a time, as soon as it and all earlier results are done. Workers never
/// run more than `window` indices ahead of delivery, so at most `window` results are alive at once:
/// memory stays flat however many inputs there are, and the order never depends on `jobs`.
/// Inlinable so that the engine's call is specialised for its result type: unspecialised, each
/// file's result went through a `Dictionary<Int, T>` looked up by metadata (~2,000 instructions a file).
///
/// A worker takes up to `batch` consecutive indices at a time and hands their results over
/// together: one lock for several files. With a lock per file, a warm run (each file a cache
/// hit of a few microseconds) had its two threads queueing on the window's lock, a futex sleep
/// and wake-up for a third of its context switches.
@inlinable
public func parallelForEachOrdered<T: Sendable>(count: Int, jobs: Int, window: Int = 256, batch: Int = 8,
                                                _ body: @Sendable (Int) -> T, deliver: (Int, T) -> Void) {
    guard count > 0 else { return }
    let workers = max(1, min(jobs, count))
    if workers == 1 {
        for i in 0..<count { deliver(i, body(i)) }
        return
    }
    let reorder = ReorderWindow<T>(window: max(window, workers * 2))
    // All workers' batches together fill at most half the window: a worker always finds indices to take.
    let batch = max(1, min(batch, reorder.window / (2 * workers)))
    // `deliver` is not Sendable: it runs only on the thread that owns the delivery role (one at a time).
    withoutActuallyEscaping(deliver) { deliver in
        let sink = UncheckedDeliver(deliver: deliver)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let results = UnsafeMutablePointer<T>.allocate(capacity: batch)
            defer { results.deallocate() }
            while let range = reorder.take(limit: count, batch: batch) {
                for i in range { (results + (i - range.lowerBound)).initialize(to: body(i)) }
                reorder.complete(range, results, deliver: sink.deliver)
            }
        }
    }
}

/// The delivery closure, called serially under `ReorderWindow`'s delivery role.
@usableFromInline
struct UncheckedDeliver<T>: @unchecked Sendable {
    @usableFromInline let deliver: (Int, T) -> Void
    @inlinable init(deliver: @escaping (Int, T) -> Void) { self.deliver = deliver }
}

/// Bounded reorder buffer: finished results wait here until every earlier index is delivered.
/// Results sit in a ring of `window` slots: an index is handed out only while it is fewer than
/// `window` ahead of the next to deliver, so index `i`'s slot `i % window` is free when it completes.
/// The ring is raw storage with a flag a slot, not `[T?]`: storing into and taking out of an
/// optional slot destroyed an `Optional<T>` through the runtime's generic witness each time
/// (~430 instructions for a file's outcome, twice a file on a warm run).
@usableFromInline
final class ReorderWindow<T>: @unchecked Sendable {
    @usableFromInline let condition = NSCondition()
    @usableFromInline let window: Int
    @usableFromInline var nextIndex = 0
    @usableFromInline var nextToDeliver = 0
    /// `window` slots; slot `k` holds an initialised result exactly while `filled[k]`.
    @usableFromInline let slots: UnsafeMutablePointer<T>
    @usableFromInline var filled: [Bool]
    @usableFromInline var delivering = false
    /// Workers asleep in `take`, waiting for the window to drain.
    @usableFromInline var waiting = 0

    @inlinable init(window: Int) {
        self.window = max(1, window)
        slots = UnsafeMutablePointer<T>.allocate(capacity: self.window)
        filled = Array(repeating: false, count: self.window)
    }

    @inlinable deinit {
        for k in filled.indices where filled[k] { (slots + k).deinitialize(count: 1) }
        slots.deallocate()
    }

    /// The next indices to compute (up to `batch`, none `window` or more ahead of delivery),
    /// waiting while the next one would be.
    @inlinable func take(limit: Int, batch: Int) -> Range<Int>? {
        condition.lock()
        defer { condition.unlock() }
        while nextIndex < limit && nextIndex - nextToDeliver >= window {
            waiting += 1
            condition.wait()
            waiting -= 1
        }
        guard nextIndex < limit else { return nil }
        let end = min(limit, nextIndex + batch, nextToDeliver + window)
        defer { nextIndex = end }
        return nextIndex..<end
    }

    /// Stores the results of `range` (moved out of `results`, which holds them initialised, in
    /// order) and, unless another thread is delivering, delivers every result now in order. Moved
    /// into their slots, not copied: a file's outcome holds a dozen references, each retained by
    /// a copy and released with the original.
    @inlinable func complete(_ range: Range<Int>, _ results: UnsafeMutablePointer<T>, deliver: (Int, T) -> Void) {
        condition.lock()
        for i in range {
            let k = i % window
            (slots + k).moveInitialize(from: results + (i - range.lowerBound), count: 1)
            filled[k] = true
        }
        guard !delivering else { condition.unlock(); return }
        delivering = true
        while case let k = nextToDeliver % window, filled[k] {
            let v = (slots + k).move()
            filled[k] = false
            let i = nextToDeliver
            condition.unlock()
            deliver(i, v)
            condition.lock()
            nextToDeliver += 1
            // Waiters wake once the window has half drained, not at each delivery: when delivery
            // is the slower side (a warm run), a worker woken per file took one index and slept
            // again, a context switch per file.
            if waiting > 0 && nextIndex - nextToDeliver <= window / 2 { condition.broadcast() }
        }
        delivering = false
        condition.unlock()
    }
}
