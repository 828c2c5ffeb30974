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
        /// A sealed run: its bytes, in order, in `memory` or, once spilled, in `file`.
        case encoded(segments: [Segment], count: Int)
        case sorted(any SortedDiagnosticSource)
    }
    /// Part of an encoded run's bytes.
    fileprivate struct Segment {
        var range: Range<Int>
        var onDisk: Bool
    }
    private var runs: [Run] = []
    /// The last diagnostic of the last run when that run is encoded: a chunk sealed after it
    /// that does not sort before it extends that run. The reduce phases report in path order,
    /// so a corpus of copies makes a few long runs instead of one per megabyte, and the merge
    /// holds a reader (a read buffer and recent strings) per run: hundreds of them grew the
    /// output phase's memory with the corpus.
    private var lastOfLastRun: Diagnostic?
    private var memory = ByteWriter()
    private var file: FileHandle?
    private var fileBytes = 0
    private var diskFailed = false
    /// Diagnostics in the runs (for a sorted source, before `filter` drops any as it is read).
    public private(set) var count = 0
    /// Whether deferred findings (`add(deferred:)`) are made on a thread of their own, a few
    /// batches ahead of the merge that reads them. Why: the output is serial, and making
    /// content-duplicate's messages (a corpus of copies names five other paths for every file) was
    /// about a quarter of the output's thread at agora ×10, while the pass's workers sat idle.
    /// The lint run sets it when it may use a second thread (`--jobs` 2 or more).
    public var makesDeferredAhead = false

    public init(runLength: Int = 8192, memoryBudget: Int = 1 << 20) {
        self.runLength = max(1, runLength)
        self.memoryBudget = memoryBudget
    }

    /// Whether anything went to disk (for tests and measurements).
    public var usedFile: Bool { file != nil }

    /// Runs the merge reads side by side (for tests and measurements).
    package var runCount: Int { runs.count }

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
        Diagnostic.sortInOutputOrder(&chunk)
        let start = memory.bytes.count
        for d in chunk {
            memory.string(d.path)
            memory.diagnostic(d)
        }
        let written = Segment(range: start..<memory.bytes.count, onDisk: false)
        // Equal findings keep their order: the chunk's come after the run's, as they would from
        // a later run (the merge takes equal ones from the earlier run first).
        if let last = lastOfLastRun, let first = chunk.first, !Diagnostic.outputOrder(first, last),
           case .encoded(var segments, let n)? = runs.last {
            if let tail = segments.last, !tail.onDisk, tail.range.upperBound == start {
                segments[segments.count - 1].range = tail.range.lowerBound..<written.range.upperBound
            } else {
                segments.append(written)
            }
            runs[runs.count - 1] = .encoded(segments: segments, count: n + chunk.count)
        } else {
            runs.append(.encoded(segments: [written], count: chunk.count))
        }
        lastOfLastRun = chunk.last
        count += chunk.count
        if memory.bytes.count >= memoryBudget { spill() }
    }

    /// Merges `source` as a run of its own after what was added so far; `filter` applies to each
    /// of its batches as it is read.
    package func add(sorted source: any SortedDiagnosticSource) {
        seal()
        runs.append(.sorted(source))
        lastOfLastRun = nil
        count += source.count
    }

    /// Findings made as they are read: in output order they join as a run of their own, neither
    /// sorted nor encoded (a reduce's messages never go through the temporary file); otherwise
    /// they are made now and added one by one.
    public func add(deferred findings: DeferredFindings) {
        guard findings.inOutputOrder else {
            findings.forEach { add($0) }
            return
        }
        add(sorted: DeferredSource(findings, ahead: makesDeferredAhead && findings.count >= DeferredSource.aheadMinimum))
    }

    /// Moves the in-memory runs to the temporary file (kept in memory if it cannot be written).
    private func spill() {
        guard !diskFailed else { return }
        if file == nil { file = DiagnosticSpill.temporaryFile() }
        guard let file else { diskFailed = true; return }
        do { try file.write(contentsOf: memory.bytes) } catch { diskFailed = true; return }
        let base = fileBytes
        for i in runs.indices {
            guard case let .encoded(segments, count) = runs[i], segments.contains(where: { !$0.onDisk }) else { continue }
            // In the file, the memory's bytes follow what is there: a run's parts that were
            // written one after the other are one part again.
            var moved: [Segment] = []
            for var segment in segments {
                if !segment.onDisk { segment = Segment(range: (segment.range.lowerBound + base)..<(segment.range.upperBound + base), onDisk: true) }
                if let tail = moved.last, tail.range.upperBound == segment.range.lowerBound {
                    moved[moved.count - 1].range = tail.range.lowerBound..<segment.range.upperBound
                } else {
                    moved.append(segment)
                }
            }
            runs[i] = .encoded(segments: moved, count: count)
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

    /// The stored cross-file result when it is all these runs hold, as it was stored (no
    /// filter): the lazy concise route frames it instead (`OrderedMerge.run(_:extras:decodingFrom:_:)`).
    package var storedResultAlone: StoredCrossFileResult? {
        guard filter == nil, pending.isEmpty, runs.count == 1, case let .sorted(source) = runs[0] else { return nil }
        return source as? StoredCrossFileResult
    }

    public func makeCursor() -> Cursor {
        seal()
        let heads = runs.map { run -> RunReader in
            switch run {
            case let .encoded(segments, count): RunReader(segments: segments, remaining: count)
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
        /// The part being read (what is left of it) and the parts after it.
        var range: Range<Int>
        var onDisk: Bool
        var later: ArraySlice<Segment>
        var remaining: Int
        var buffer: [UInt8] = []
        var position = 0
        var head: Diagnostic?
        var strings = RecentStrings()
        /// A sorted source's batches (nil for an encoded run, and once the source ended).
        var batches: (() -> SortedBatch)?
        /// The current batch and how many of its findings were handed out: each is moved out of
        /// its slot, which gets `placeholder` (no retain of its strings, no release of them with
        /// the batch later). Reversed for `popLast`, the batch was copied a finding at a time
        /// (`reverse` swaps by copies: a retain and a release of each of its strings).
        var batch: [Diagnostic] = []
        var taken = 0
        /// What a slot holds once its finding was moved out: nothing to release.
        static let placeholder = Diagnostic(rule: "", severity: .info, path: "", line: 0, column: 0, message: "")

        init(segments: [Segment], remaining: Int) {
            range = segments.first?.range ?? 0..<0
            onDisk = segments.first?.onDisk ?? false
            later = segments.dropFirst()
            self.remaining = remaining
        }

        init(batches: @escaping () -> SortedBatch) {
            self.init(segments: [], remaining: 0)
            self.batches = batches
        }

        /// Decodes the next diagnostic into `head`; false on a read or decode failure.
        mutating func advance(_ runs: DiagnosticRuns) -> Bool {
            if let next = batches {
                // `head` is replaced below (the cursor took the last one): not emptied first.
                while taken == batch.count {
                    switch next() {
                    case let .batch(b):
                        batch = runs.filter?(b) ?? b
                        taken = 0
                    case .end:
                        batches = nil
                        batch = []
                        taken = 0
                        head = nil
                        return true
                    case .failed:
                        batches = nil
                        head = nil
                        return false
                    }
                }
                let at = taken
                head = batch.withUnsafeMutableBufferPointer { found -> Diagnostic? in
                    guard let slot = found.baseAddress.map({ $0 + at }) else { return nil }
                    let d = slot.move()
                    slot.initialize(to: Self.placeholder)
                    return d
                }
                taken += 1
                return true
            }
            head = nil
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
                // (A record never spans two parts: each part holds whole chunks of findings.)
                while range.isEmpty, let next = later.first {
                    later = later.dropFirst()
                    range = next.range
                    onDisk = next.onDisk
                }
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

        /// The path of the next diagnostic (nil at the end): the merge asks it of every finding,
        /// and a whole `peek` copied the finding (a retain and release of each of its strings).
        public func peekPath() -> String? {
            if !started { start() }
            guard let i = heap.first else { return nil }
            return headPath(i)
        }

        /// The next diagnostic when it is on `path` (compared as bytes); nil otherwise.
        public func next(onPath path: String) -> Diagnostic? {
            if !started { start() }
            guard let i = heap.first, headPath(i)?.hasSameBytes(as: path) == true else { return nil }
            return next()
        }

        /// The path of reader `i`'s head, read in place: through the array's subscript the whole
        /// reader (its buffers, strings and batch) was copied and released again.
        private func headPath(_ i: Int) -> String? {
            readers.withUnsafeBufferPointer { $0[i].head?.path }
        }

        public func next() -> Diagnostic? {
            if !started { start() }
            // Moved out of the reader, which decodes its next head over it.
            guard let i = heap.first, let d = readers[i].head.take() else { return nil }
            if !readers[i].advance(runs) { failed = true }
            // Matched, not compared with `nil`: `== nil` copied the whole finding first.
            if case .none = readers[i].head {
                heap.swapAt(0, heap.count - 1)
                heap.removeLast()
            }
            if !heap.isEmpty { siftDown(0) }
            return d
        }

        /// Reader `a`'s head comes before reader `b`'s (the earlier run first among equals). The
        /// heads are read through the buffer, not the array's subscript (which copied the whole
        /// reader), and compared once: equal keys were compared both ways round.
        /// Heads on different paths (nearly every comparison: the runs are different rules') are
        /// ordered by their paths alone, read in place: the heads bound whole were copied (a
        /// retain and a release of each of their strings, ~700 instructions a comparison at
        /// agora ×10, whose content-duplicate findings carry 1 KB messages).
        private func precedes(_ a: Int, _ b: Int) -> Bool {
            readers.withUnsafeBufferPointer { readers in
                guard let xPath = readers[a].head?.path else { return false }
                guard let yPath = readers[b].head?.path else { return true }
                var order = xPath.bytesCompare(yPath)
                if order == 0, let x = readers[a].head, let y = readers[b].head { order = Diagnostic.outputComparison(x, y) }
                return order != 0 ? order < 0 : a < b
            }
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

/// Deferred findings as a sorted run: each pass of the merge makes them afresh, `ahead` on a
/// thread of its own (two batches queued, one being made and the reader's: memory stays bounded).
final class DeferredSource: SortedDiagnosticSource {
    let findings: DeferredFindings
    let ahead: Bool
    /// Fewer findings than this are made on the reader's thread: a thread costs more than making them.
    static let aheadMinimum = 1024

    init(_ findings: DeferredFindings, ahead: Bool) {
        self.findings = findings
        self.ahead = ahead
    }

    var count: Int { findings.count }

    func batches() -> () -> SortedBatch {
        let next = findings.pass()
        guard ahead else {
            return {
                let batch = next()
                return batch.isEmpty ? .end : .batch(batch)
            }
        }
        let queue = PrefetchQueue<[Diagnostic]>()
        // The pass is used by the making thread alone from here on (`DeferredFindings.pass`).
        let pass = UncheckedPass(next: next)
        Thread {
            while case let batch = pass.next(), !batch.isEmpty {
                guard queue.push(batch) else { return }
            }
            queue.close(complete: true)
        }.start()
        let consumer = PrefetchConsumer(queue)
        return {
            guard let batch = consumer.queue.pop() else { return .end }
            return .batch(batch)
        }
    }
}

/// A pass over deferred findings handed to the thread that makes them.
private struct UncheckedPass: @unchecked Sendable {
    let next: () -> [Diagnostic]
}
