import Dispatch
import Foundation

/// Runs `body` for indices `0..<count` on `jobs` threads, pulling work dynamically
/// (files vary in size), and returns results in index order: output never depends on `jobs`.
public func parallelMap<T: Sendable>(count: Int, jobs: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let slots = ResultSlots<T>(count: count)
    let next = WorkCounter()
    let workers = max(1, min(jobs, count))
    if workers == 1 {
        for i in 0..<count { slots.store(i, body(i)) }
    } else {
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = next.take(limit: count) { slots.store(i, body(i)) }
        }
    }
    return slots.collect()
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

/// Preallocated result storage; each index is written by exactly one worker.
final class ResultSlots<T>: @unchecked Sendable {
    private let buffer: UnsafeMutablePointer<T?>
    private let count: Int
    init(count: Int) {
        self.count = count
        buffer = UnsafeMutablePointer<T?>.allocate(capacity: count)
        buffer.initialize(repeating: nil, count: count)
    }
    deinit {
        buffer.deinitialize(count: count)
        buffer.deallocate()
    }
    func store(_ i: Int, _ value: T) { buffer[i] = value }
    func collect() -> [T] { (0..<count).compactMap { buffer[$0] } }
}

/// A mutex-protected value for state shared across worker threads.
public final class Locked<Value>: @unchecked Sendable {
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
