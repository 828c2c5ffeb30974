import Synchronization

/// Arrays a finished document let go, kept for the next file's view of the same kind: a fresh
/// array a file cost a `malloc` and a `free` (~700 instructions each) for storage of a few KB the
/// last file had just released. Shared by the workers behind one lock (taken twice a file a view).
///
/// Safe by value semantics: `take` empties the kept array through `Array`'s own mutation, so an
/// array another holder still shares (a rule kept the scalars) is never written; the taker gets
/// storage of its own instead. For plain data (no references): a kept array's elements stay alive
/// until the taker empties it.
package final class SpareArrays<Element: Sendable>: Sendable {
    /// At most this many arrays are kept (a worker's in flight and its next, for two workers).
    package let kept: Int
    /// Arrays of a larger capacity are let go: a rare large file's storage is not held for the run.
    package let largestCapacity: Int
    private let spares = Mutex<[[Element]]>([])

    package init(kept: Int, largestCapacity: Int) {
        self.kept = kept
        self.largestCapacity = largestCapacity
    }

    /// An empty array, with a kept one's storage when there is one.
    ///
    /// A kept array another holder still shares (a file's bytes an outcome keeps for its preview) is
    /// let go: emptying it made new storage of its whole capacity, so every retained array after
    /// one large file would have held that file's capacity. The taker sizes its own instead.
    package func take() -> [Element] {
        guard var spare = spares.withLock({ $0.popLast() }) else { return [] }
        let kept = spare.withUnsafeBufferPointer { $0.baseAddress }
        spare.removeAll(keepingCapacity: true)
        guard spare.withUnsafeBufferPointer({ $0.baseAddress }) == kept else { return [] }
        return spare
    }

    /// A kept array of exactly `count` elements, left as its last user wrote it; nil when the last
    /// kept array has another count (it is let go) or none is kept.
    package func take(count: Int) -> [Element]? {
        guard let spare = spares.withLock({ $0.popLast() }), spare.count == count else { return nil }
        return spare
    }

    /// Keeps `array` for `take`. It is moved into the pool and let go of inside the lock: a copy
    /// still held here once the lock is open would make a worker taking it meanwhile copy it.
    package func keep(_ array: consuming [Element]) {
        guard array.capacity > 0, array.capacity <= largestCapacity else { return }
        var pending: [Element]? = consume array
        spares.withLock { s in
            guard s.count < kept, let moved = pending.take() else { return }
            s.append(moved)
        }
    }

    /// How many arrays are kept now (tests).
    package var count: Int { spares.withLock { $0.count } }

    /// Whether a kept array's storage starts at `address` (tests).
    package func holds(storageAt address: Int) -> Bool {
        spares.withLock { s in s.contains { $0.withUnsafeBufferPointer { $0.baseAddress.map { Int(bitPattern: $0) } == address } } }
    }
}
