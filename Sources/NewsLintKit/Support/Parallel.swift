import Dispatch
import Foundation

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
struct UncheckedSlots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}

/// Hands out indices to workers.
final class WorkCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func take(limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
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
