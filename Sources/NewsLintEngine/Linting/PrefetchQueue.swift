import Foundation

/// Batches handed from a producing thread to one consumer, at most `depth` ahead: the output is
/// serial, so what it reads (the spill, a cache's stored cross-file result, deferred findings) is
/// decoded or made on a thread of its own while the pass's workers are idle.
package final class PrefetchQueue<Batch>: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [Batch] = []
    private let depth: Int
    private var closed = false
    private var cancelled = false
    private var producedWhole = true
    /// Whether the producer waits for room, and the consumer for a batch: each side wakes the
    /// other only when it waits, and a producer that found the queue full only once it has
    /// drained to half. Woken at each batch taken, it made one and waited again, and with the
    /// consumer as fast a sleep and a wake-up went with nearly every batch (most of a warm run's
    /// sleeps at agora ×10 once the path list's lock no longer slept). A deeper queue wakes it
    /// less often, for that many batches more held.
    private var producerWaits = false, consumerWaits = false

    package init(depth: Int = 2) { self.depth = max(1, depth) }

    /// Waits while `depth` batches are held; false when the consumer has gone (`cancel`): the
    /// producer stops.
    package func push(_ batch: Batch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= depth && !cancelled {
            producerWaits = true
            condition.wait()
        }
        guard !cancelled else { return false }
        batches.append(batch)
        if consumerWaits { condition.broadcast() }
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
        while batches.isEmpty && !closed {
            consumerWaits = true
            condition.wait()
            consumerWaits = false
        }
        guard !batches.isEmpty else { return nil }
        let batch = batches.removeFirst()
        if producerWaits && batches.count <= depth / 2 {
            producerWaits = false
            condition.broadcast()
        }
        return batch
    }

    /// Whether the producer read everything (meaningful once `pop` returned nil).
    package var complete: Bool {
        condition.lock()
        defer { condition.unlock() }
        return producedWhole
    }
}

/// The consumer's hold on a `PrefetchQueue`: released (the reader dropped, read to the end or
/// not), it cancels the queue so the producing thread stops.
package final class PrefetchConsumer<Batch>: @unchecked Sendable {
    package let queue: PrefetchQueue<Batch>
    package init(_ queue: PrefetchQueue<Batch>) { self.queue = queue }
    deinit { queue.cancel() }
}

/// Values the consumer of a `PrefetchQueue` is done with (decoded findings it has written out),
/// handed back to the producing thread to be destroyed there. The output thread is the warm run's
/// critical path, and destroying a decoded finding (a release per string, a `free` per string and
/// fix the producer allocated) was a fifth of its work; the producer waits on the queue most of
/// the time. Taken only while a producer is draining (`start` to `stop`): otherwise `give` drops
/// the value at once, so nothing piles up unseen.
package final class SpentValues: @unchecked Sendable {
    private let lock = NSLock()
    private var given: [Any] = []
    private var draining = false
    /// Only the draining thread touches it: `given`'s storage, swapped out and emptied outside the lock.
    private var taken: [Any] = []

    package init() {}

    /// A producer drains from now on (until `stop`).
    package func start() {
        lock.lock()
        draining = true
        lock.unlock()
    }

    /// Hands `value` over to be destroyed by the draining thread; destroyed by the caller (as it
    /// returns) when none drains.
    package func give(_ value: Any) {
        lock.lock()
        defer { lock.unlock() }
        guard draining else { return }
        given.append(value)
    }

    /// Destroys what was given so far, on the calling thread (the producer's).
    package func drain() {
        lock.lock()
        swap(&given, &taken)
        lock.unlock()
        taken.removeAll(keepingCapacity: true)
    }

    /// The producer has finished: what is given from now on is destroyed by its giver. What was
    /// given before is destroyed here.
    package func stop() {
        lock.lock()
        draining = false
        swap(&given, &taken)
        lock.unlock()
        taken.removeAll(keepingCapacity: true)
    }
}
