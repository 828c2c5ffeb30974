import Foundation
import NewsLintCore

/// Diagnostics that arrive out of path order (the cross-file reduce phase, input problems), held
/// as sorted runs: a run is sorted when it is sealed, kept in memory while the runs are small and
/// written to an unlinked temporary file (under `TMPDIR`, never in the corpus) past a budget; a
/// k-way merge reads them back in output order. The reduce phase of a corpus of copies reports
/// every file, so holding these as values made peak memory grow with the corpus.
/// Used from one thread at a time. Diagnostics already stored in output order elsewhere (a cache's
/// cross-file result) join as one more run (`add(sorted:)`) without being sorted or encoded again.
public final class DiagnosticRuns: DiagnosticReceiver {
    /// Diagnostics gathered before they are sealed into a run.
    public let runLength: Int
    /// Encoded bytes kept in memory before the runs go to the temporary file.
    package let memoryBudget: Int
    /// Applied to every chunk before it is sorted (e.g. dropping suppressed findings).
    package var filter: (([Diagnostic]) -> [Diagnostic])?

    private var pending: [Diagnostic] = []
    /// Rough bytes held by `pending` (its strings): a run is sealed by size too, since a corpus of
    /// copies makes cross-file messages that list many paths.
    private var pendingBytes = 0
    /// Bytes of pending findings that seal a run before `runLength` is reached.
    package static let runBytes = 1 << 20
    private enum Run {
        /// A sealed run: its bytes in `memory` or, once spilled, in `file`.
        case encoded(range: Range<Int>, count: Int, onDisk: Bool)
        case sorted(any SortedDiagnosticSource)
    }
    private var runs: [Run] = []
    private var memory = ByteWriter()
    private var file: FileHandle?
    private var fileBytes = 0
    private var diskFailed = false
    /// Diagnostics in the runs (for a sorted source, before `filter` drops any as it is read).
    public private(set) var count = 0

    public init(runLength: Int = 8192, memoryBudget: Int = 1 << 20) {
        self.runLength = max(1, runLength)
        self.memoryBudget = memoryBudget
    }

    /// Whether anything went to disk (for tests and measurements).
    public var usedFile: Bool { file != nil }

    public func add(_ d: Diagnostic) {
        pending.append(d)
        pendingBytes += 64 + d.path.utf8.count + d.message.utf8.count
        if pending.count >= runLength || pendingBytes >= Self.runBytes { seal() }
    }

    public func add(contentsOf diagnostics: [Diagnostic]) {
        for d in diagnostics { add(d) }
    }

    /// Sorts what was added since the last run into a run of its own.
    public func seal() {
        var chunk = pending
        pending = []
        pendingBytes = 0
        if let filter { chunk = filter(chunk) }
        guard !chunk.isEmpty else { return }
        if !Diagnostic.isSorted(chunk) { chunk.sort(by: Diagnostic.outputOrder) }
        let start = memory.bytes.count
        for d in chunk {
            memory.string(d.path)
            memory.diagnostic(d)
        }
        runs.append(.encoded(range: start..<memory.bytes.count, count: chunk.count, onDisk: false))
        count += chunk.count
        if memory.bytes.count >= memoryBudget { spill() }
    }

    /// Merges `source` as a run of its own after what was added so far; `filter` applies to each
    /// of its batches as it is read.
    package func add(sorted source: any SortedDiagnosticSource) {
        seal()
        runs.append(.sorted(source))
        count += source.count
    }

    /// Moves the in-memory runs to the temporary file (kept in memory if it cannot be written).
    private func spill() {
        guard !diskFailed else { return }
        if file == nil { file = DiagnosticSpill.temporaryFile() }
        guard let file else { diskFailed = true; return }
        do { try file.write(contentsOf: memory.bytes) } catch { diskFailed = true; return }
        let base = fileBytes
        for i in runs.indices {
            guard case let .encoded(range, count, false) = runs[i] else { continue }
            runs[i] = .encoded(range: (range.lowerBound + base)..<(range.upperBound + base), count: count, onDisk: true)
        }
        fileBytes += memory.bytes.count
        memory.bytes.removeAll(keepingCapacity: true)
    }

    /// Every diagnostic in output order; false when a run could not be read back (the stream ends).
    /// Seals what is pending first.
    @discardableResult
    public func forEach(_ body: (Diagnostic) -> Void) -> Bool {
        let cursor = makeCursor()
        while let d = cursor.next() { body(d) }
        return !cursor.failed
    }

    /// All diagnostics in output order (for callers that need them as values: small runs).
    public var all: [Diagnostic] {
        var out: [Diagnostic] = []
        out.reserveCapacity(count)
        forEach { out.append($0) }
        return out
    }

    public func makeCursor() -> Cursor {
        seal()
        let heads = runs.map { run -> RunReader in
            switch run {
            case let .encoded(range, count, onDisk): RunReader(range: range, remaining: count, onDisk: onDisk)
            case let .sorted(source): RunReader(batches: source.batches())
            }
        }
        return Cursor(runs: self, readers: heads)
    }

    fileprivate func read(_ range: Range<Int>, onDisk: Bool) -> [UInt8]? {
        if !onDisk { return Array(memory.bytes[range]) }
        guard let file else { return nil }
        return FileDescriptorReading.read(range.count, from: file.fileDescriptor, at: off_t(range.lowerBound))
    }

    /// One run read back in chunks.
    fileprivate struct RunReader {
        var range: Range<Int>
        var remaining: Int
        let onDisk: Bool
        var buffer: [UInt8] = []
        var position = 0
        var head: Diagnostic?
        var strings = RecentStrings()
        /// A sorted source's batches (nil for an encoded run, and once the source ended).
        var batches: (() -> SortedBatch)?
        var batch: [Diagnostic] = []
        var batchIndex = 0

        init(range: Range<Int>, remaining: Int, onDisk: Bool) {
            self.range = range
            self.remaining = remaining
            self.onDisk = onDisk
        }

        init(batches: @escaping () -> SortedBatch) {
            self.init(range: 0..<0, remaining: 0, onDisk: false)
            self.batches = batches
        }

        /// Decodes the next diagnostic into `head`; false on a read or decode failure.
        mutating func advance(_ runs: DiagnosticRuns) -> Bool {
            head = nil
            if let next = batches {
                while batchIndex == batch.count {
                    switch next() {
                    case let .batch(b):
                        batch = runs.filter?(b) ?? b
                        batchIndex = 0
                    case .end:
                        batches = nil
                        batch = []
                        return true
                    case .failed:
                        batches = nil
                        return false
                    }
                }
                head = batch[batchIndex]
                batchIndex += 1
                return true
            }
            guard remaining > 0 else { return true }
            while true {
                var r = ByteReader(buffer, range: position..<buffer.count)
                if let path = r.string(&strings), let d = r.diagnostic(path: path, strings: &strings) {
                    position = r.position
                    remaining -= 1
                    head = d
                    return true
                }
                // Not enough bytes buffered for a whole record: read the next chunk of the run.
                guard !range.isEmpty else { return false }
                let take = min(range.count, 1 << 16)
                guard let chunk = runs.read(range.lowerBound..<(range.lowerBound + take), onDisk: onDisk) else { return false }
                range = (range.lowerBound + take)..<range.upperBound
                buffer.removeFirst(position)
                position = 0
                buffer.append(contentsOf: chunk)
            }
        }
    }

    /// Output-ordered iteration over all runs: a binary heap of the runs by their next
    /// diagnostic (runs are sealed by size too, so a corpus of copies makes hundreds of them).
    /// Equal diagnostics come from the earlier run first. A class: a sorted source's reader is
    /// consumed as it is read, so two copies of a cursor would take batches from each other.
    public final class Cursor {
        fileprivate let runs: DiagnosticRuns
        fileprivate var readers: [RunReader]
        /// Indices of the readers that still have a head, as a min-heap under `precedes`.
        private var heap: [Int] = []
        private var started = false
        public private(set) var failed = false

        fileprivate init(runs: DiagnosticRuns, readers: [RunReader]) {
            self.runs = runs
            self.readers = readers
        }

        private func start() {
            started = true
            for i in readers.indices where !readers[i].advance(runs) { failed = true }
            heap = readers.indices.filter { readers[$0].head != nil }
            var k = heap.count / 2 - 1
            while k >= 0 {
                siftDown(k)
                k -= 1
            }
        }

        /// The next diagnostic without consuming it.
        public func peek() -> Diagnostic? {
            if !started { start() }
            return heap.first.flatMap { readers[$0].head }
        }

        public func next() -> Diagnostic? {
            if !started { start() }
            guard let i = heap.first, let d = readers[i].head else { return nil }
            if !readers[i].advance(runs) { failed = true }
            if readers[i].head == nil {
                heap.swapAt(0, heap.count - 1)
                heap.removeLast()
            }
            if !heap.isEmpty { siftDown(0) }
            return d
        }

        /// Reader `a`'s head comes before reader `b`'s (the earlier run first among equals).
        private func precedes(_ a: Int, _ b: Int) -> Bool {
            guard let x = readers[a].head, let y = readers[b].head else { return readers[a].head != nil }
            if Diagnostic.outputOrder(x, y) { return true }
            if Diagnostic.outputOrder(y, x) { return false }
            return a < b
        }

        private func siftDown(_ start: Int) {
            var k = start
            while true {
                let left = 2 * k + 1, right = left + 1
                var first = k
                if left < heap.count && precedes(heap[left], heap[first]) { first = left }
                if right < heap.count && precedes(heap[right], heap[first]) { first = right }
                if first == k { return }
                heap.swapAt(k, first)
                k = first
            }
        }
    }
}

/// What a sorted source hands the merge next.
package enum SortedBatch {
    case batch([Diagnostic])
    case end
    /// The source could not be read on (the merge reports the stream as incomplete).
    case failed
}

/// Diagnostics stored in output order (equal ones in the order they were reported).
package protocol SortedDiagnosticSource: AnyObject {
    /// How many there are.
    var count: Int { get }
    /// A pass over them from the start, a batch per call.
    func batches() -> () -> SortedBatch
}
