import Foundation

/// Batches handed from a producing thread to one consumer, at most `depth` ahead: the output is
/// serial, so what it reads (the spill, a cache's stored cross-file result) is decoded on a thread
/// of its own while the pass's workers are idle.
package final class PrefetchQueue<Batch>: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [Batch] = []
    private let depth: Int
    private var closed = false
    private var cancelled = false
    private var producedWhole = true

    package init(depth: Int = 2) { self.depth = max(1, depth) }

    /// Waits while `depth` batches are held; false when the consumer has gone (`cancel`): the
    /// producer stops.
    package func push(_ batch: Batch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= depth && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    /// No more batches; `complete`: whether the producer read everything.
    package func close(complete: Bool) {
        condition.lock()
        closed = true
        producedWhole = complete
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer stops reading: a waiting producer is released and stops.
    package func cancel() {
        condition.lock()
        cancelled = true
        batches.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch; nil once the producer closed the queue and every batch was taken.
    package func pop() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !closed { condition.wait() }
        guard !batches.isEmpty else { return nil }
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
    }

    /// Whether the producer read everything (meaningful once `pop` returned nil).
    package var complete: Bool {
        condition.lock()
        defer { condition.unlock() }
        return producedWhole
    }
}
