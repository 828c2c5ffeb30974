import Foundation
import NewsLintCore

/// Per-file diagnostics of a run in output order, compactly encoded: in memory while small, then
/// in an unlinked temporary file, so a run's diagnostics never have to be held as values.
public final class DiagnosticSpill {
    /// Bytes buffered before they go to the temporary file.
    package let threshold: Int
    private var buffer = ByteWriter()
    /// Scratch for `append` (the delivery calls it from one thread at a time).
    private var record = ByteWriter()
    private var strings = SpilledStrings.Writer()
    private var file: FileHandle?
    public private(set) var spilledBytes = 0

    public init(threshold: Int = 1 << 18) { self.threshold = threshold }

    /// Strings the run's diagnostics likely hold (rule ids: `FileOutcome.knownStrings`), for the decode.
    private var knownStrings = KnownStrings()

    /// Appends one file's diagnostics and captured source lines (`FileOutcome.sourceLines`): a
    /// cache hit's as the bytes its cache entry stores (`FileOutcome.spilledDiagnostics`), copied
    /// as they are; any other's encoded here. A file with neither appends nothing.
    /// Inlined into the delivery, which asks it of every file: most files of a run append nothing.
    @inline(__always)
    package func append(_ outcome: FileOutcome) {
        guard let spilled = outcome.spilledDiagnostics else {
            let diagnostics = outcome.diagnostics
            guard !diagnostics.isEmpty || outcome.sourceLines?.isEmpty == false else { return }
            append(diagnostics, lines: outcome.sourceLines ?? [:], path: outcome.path)
            return
        }
        appendStored(spilled, of: outcome)
    }

    /// `append(_:)` of a cache hit's stored findings.
    @inline(never)
    private func appendStored(_ spilled: SpilledDiagnostics, of outcome: FileOutcome) {
        guard spilled.count > 0 || spilled.hasLines else { return }
        knownStrings = outcome.knownStrings
        // Straight into the buffer, its length known beforehand (through the record scratch, as
        // `appendRecord` writes, the stored bytes were copied twice).
        var path = outcome.path
        // Validated here, where a run that quotes lines copies them (`decodeAll` reads them back unvalidated).
        let lines = spilled.lines.map {
            spilled.linesKnownValid ? spilled.bytes[$0.range] : ByteReader.spillableSourceLines(spilled.bytes, $0.range)
        }
        path.withUTF8 { name in
            let length = ByteWriter.varintSize(UInt64(name.count)) + name.count + ByteWriter.varintSize(UInt64(spilled.count))
                + spilled.range.count + (lines?.count ?? 1)
            buffer.varint(UInt64(length))
            buffer.varint(UInt64(name.count))
            buffer.bytes.append(contentsOf: name)
            buffer.varint(UInt64(spilled.count))
            buffer.bytes.append(contentsOf: spilled.bytes[spilled.range])
            if let lines { buffer.bytes.append(contentsOf: lines) } else { buffer.varint(0) }
        }
        if buffer.bytes.count >= threshold { flush() }
    }

    /// Appends one file's diagnostics (all of one path, in output order) and the source lines
    /// the pass captured for them (so reporters quoting them need not read the file again). A
    /// file with lines and no diagnostics (lines its cross-file findings may quote) needs `path`.
    public func append(_ diagnostics: [Diagnostic], lines: [Int: String] = [:], path: String? = nil) {
        guard let path = path ?? diagnostics.first?.path, !diagnostics.isEmpty || !lines.isEmpty else { return }
        strings.reset()
        appendRecord(path: path, count: diagnostics.count) { record in
            // Each finding read where it is: `for d in` copied each (a retain and a release of its strings).
            diagnostics.withUnsafeBufferPointer { found in
                guard let first = found.baseAddress else { return }
                for i in 0..<found.count { record.diagnostic(at: first + i) { strings.write($1, to: &$0) } }
            }
            record.sourceLines(lines)
        }
    }

    /// One record: its length, the path, the count, then what `body` writes (the diagnostics and
    /// the captured lines). One record buffer is reused for every file (an allocation per file less).
    private func appendRecord(path: String, count: Int, _ body: (inout ByteWriter) -> Void) {
        record.bytes.removeAll(keepingCapacity: true)
        record.string(path)
        record.varint(UInt64(count))
        body(&record)
        buffer.varint(UInt64(record.bytes.count))
        buffer.bytes.append(contentsOf: record.bytes)
        if buffer.bytes.count >= threshold { flush() }
    }

    /// Whether anything went to disk (for tests and measurements).
    public var usedFile: Bool { file != nil }

    /// Set when the temporary file cannot be created or written: from then on everything stays in
    /// memory (slower to nothing, never lost; what is already on disk is read first, so order holds).
    private var diskFailed = false

    private func flush() {
        guard !diskFailed else { return }
        if file == nil { file = Self.temporaryFile() }
        guard let file else { diskFailed = true; return }
        do {
            try file.write(contentsOf: buffer.bytes)
        } catch {
            diskFailed = true
            return
        }
        spilledBytes += buffer.bytes.count
        buffer.bytes.removeAll(keepingCapacity: true)
    }

    /// A temporary file unlinked at once: it disappears with the process however that ends.
    package static func temporaryFile() -> FileHandle? {
        var template = Array((NSTemporaryDirectory() + "/newslint-spill-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { p -> Int32 in
            guard let base = p.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { return nil }
        template.withUnsafeBufferPointer { p in if let base = p.baseAddress { _ = unlink(base) } }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// Calls `body` with each file's diagnostics in the order they were appended.
    /// Records are read back in chunks. Returns false when the temporary file could not be read
    /// back or a record did not decode (the stream ends there; the caller reports the failure).
    @discardableResult
    public func forEachFile(_ body: ([Diagnostic]) -> Void) -> Bool {
        forEachRecord { _, diagnostics, _ in if !diagnostics.isEmpty { body(diagnostics) } }
    }

    /// Spills of at least this many bytes are decoded on a thread of their own while `body`
    /// consumes what it decoded (the output is serial and the pass's workers are idle by then).
    package static let pipelineBytes = 1 << 16
    /// Findings (and files) per batch the decoding thread hands on.
    private static let pipelineBatch = 256
    /// Batches decoded or framed ahead of the output: ~256 findings and files, or ~256 KB of
    /// quoted lines, each (with the two being made and read, ~1.5 MB; more where lines are long).
    private static let pipelineDepth = 4

    /// Every record in order: its path, diagnostics (none for a file appended for its lines
    /// alone) and captured source lines. `fillingLines`, when given, adds to a record's lines
    /// those its findings quote that the pass did not keep (`CacheEntry.storedLineLimit`): for a
    /// large spill on its decoding thread, so the serial output does not read those files itself.
    ///
    /// `spent`: where `body` hands back what it is done with (see `SpentValues`); the batches
    /// read are handed back there too. Drained on the decoding thread while there is one.
    @discardableResult
    package func forEachRecord(fillingLines: LineFiller? = nil, spent: SpentValues? = nil,
                               _ body: (String, [Diagnostic], [Int: String]) -> Void) -> Bool {
        guard spilledBytes + buffer.bytes.count >= Self.pipelineBytes else {
            guard let fillingLines else { return decodeAll(body) }
            return decodeAll { path, diagnostics, lines in
                var lines = lines
                if !diagnostics.isEmpty { fillingLines(path, diagnostics, &lines) }
                body(path, diagnostics, lines)
            }
        }
        let queue = PrefetchQueue<[DecodedFile]>(depth: Self.pipelineDepth)
        let spill = UncheckedSpill(spill: self)
        let decoder = Thread {
            var batch: [DecodedFile] = []
            var size = 0
            // Read to the end below: the consumer never cancels.
            let complete = spill.spill.decodeAll { path, diagnostics, lines in
                var lines = lines
                if let fillingLines, !diagnostics.isEmpty {
                    let before = lines.count
                    fillingLines(path, diagnostics, &lines)
                    // Lines read back are long ones (a minified page): they count towards the
                    // batch by size, so the batches held ahead stay small.
                    if lines.count != before { size += lines.values.reduce(0) { $0 + $1.utf8.count } >> 10 }
                }
                batch.append((path, diagnostics, lines))
                size += diagnostics.count + 1
                if size >= Self.pipelineBatch {
                    spent?.drain()
                    _ = queue.push(batch)
                    batch = []
                    size = 0
                }
            }
            if !batch.isEmpty { _ = queue.push(batch) }
            queue.close(complete: complete)
            spent?.stop()
        }
        spent?.start()
        decoder.start()
        while var batch = queue.pop() {
            for i in batch.indices {
                // Taken out of the batch, so the consumer holds the only reference (the ordered
                // merge then adds a file's cross-file findings to it in place).
                var diagnostics: [Diagnostic] = []
                swap(&diagnostics, &batch[i].diagnostics)
                body(batch[i].path, diagnostics, batch[i].lines)
            }
            spent?.give(batch)
        }
        return queue.complete
    }

    /// Strings of earlier records held at most before they are let go (see `decodeAll`).
    private static let recordStringsKept = 512

    /// Reads every record back in order on the calling thread (see `forEachFile`).
    private func decodeAll(_ body: (String, [Diagnostic], [Int: String]) -> Void) -> Bool {
        // Shared by every record: files repeat rule ids and messages.
        var recent = RecentStrings(pinned: knownStrings)
        // Every record was written by this run into its own unlinked file (mode 0600): encoded
        // here from `String`s, or copied from a cache entry whose strings were validated when the
        // hit was read (`ByteReader.skipSpilledDiagnostic`) and whose lines were when they were
        // copied (`appendStored`). Its paths, texts and lines are valid UTF-8 and are not
        // validated again (a path a record and each new message: UTF-8 validation in a warm run
        // over agora ×10 went from 70 to 47 M instructions; the captured lines: 31 M at agora ×1 cold).
        recent.bytesAreValidUTF8 = true
        // Records' own strings, each record's from `recordStart` on (a new array per record grew
        // from empty, an allocation per string a record wrote whole). Emptied only every
        // `recordStringsKept` strings: emptied per record, it cost ~280 instructions a record.
        var strings: [String] = []
        return readRecords { pending, range in
            var record = ByteReader(pending, range: range)
            guard let path = record.knownValidString(), let count = record.int() else { return false }
            if strings.count >= Self.recordStringsKept { strings.removeAll(keepingCapacity: true) }
            guard let diagnostics = record.spilledDiagnostics(count, path: path, strings: &strings, recordStart: strings.count,
                                                              recent: &recent) else { return false }
            guard let lines = record.sourceLines(knownValid: true) else { return false }
            body(path, diagnostics, lines)
            return true
        }
    }

    /// Calls `record` with the read buffer and the range of each record in it (its length
    /// stepped over), in order; `record` returns false when the record is malformed. `chunkDone`
    /// is called after the records of each chunk read (before the buffer's read part is let go).
    /// False when the temporary file could not be read back or a record was malformed.
    private func readRecords(_ record: ([UInt8], Range<Int>) -> Bool, chunkDone: ([UInt8]) -> Void = { _ in }) -> Bool {
        var pending: [UInt8] = []
        var position = 0
        func readAvailable() -> Bool {
            while true {
                var r = ByteReader(pending, range: position..<pending.count)
                guard let length = r.int(), let range = r.skip(length) else { return true }
                guard record(pending, range) else { return false }
                position = r.position
            }
        }
        if let file, spilledBytes > 0 {
            // Positional reads of whole chunks (FileHandle read them 4 KB a call); the write position stays at the end.
            // Read straight onto the end of `pending`, whose storage is kept from chunk to chunk: a
            // new 256 KB array per chunk was fresh memory each time (a page fault and a zeroed page
            // per 4 KB), then copied onto `pending` anyway.
            var read = 0
            while read < spilledBytes {
                let n = min(1 << 18, spilledBytes - read)
                pending.removeFirst(position)
                position = 0
                let start = pending.count
                pending.append(contentsOf: repeatElement(0, count: n))
                let at = off_t(read)
                let failure = pending.withUnsafeMutableBytes {
                    FileDescriptorReading.readAll(into: UnsafeMutableRawBufferPointer(rebasing: $0[start...]), from: file.fileDescriptor, at: at)
                }
                guard failure == nil else { return false }
                read += n
                if !readAvailable() { return false }
                chunkDone(pending)
            }
        }
        pending.removeFirst(position)
        position = 0
        pending.append(contentsOf: buffer.bytes)
        guard readAvailable() else { return false }
        chunkDone(pending)
        return position == pending.count
    }

    /// Every record in order, framed but not decoded (`SpilledBatch`), a batch at a time: on a
    /// thread of its own for a large spill, as `forEachRecord` decodes. `spent`: as there.
    package func forEachBatch(spent: SpentValues? = nil, _ body: (SpilledBatch) -> Void) -> Bool {
        guard spilledBytes + buffer.bytes.count >= Self.pipelineBytes else { return frameAll(body) }
        let queue = PrefetchQueue<SpilledBatch>(depth: Self.pipelineDepth)
        let spill = UncheckedSpill(spill: self)
        let framer = Thread {
            // Read to the end: the consumer never cancels.
            let complete = spill.spill.frameAll { batch in
                spent?.drain()
                _ = queue.push(batch)
            }
            queue.close(complete: complete)
            spent?.stop()
        }
        spent?.start()
        framer.start()
        while let batch = queue.pop() {
            body(batch)
            spent?.give(batch)
        }
        return queue.complete
    }

    /// Frames every record on the calling thread, handing on batches of about `pipelineBatch`
    /// findings and files (and one at the end of each chunk read, whose bytes it copies out).
    private func frameAll(_ hand: (SpilledBatch) -> Void) -> Bool {
        var batch = SpilledBatch()
        var end = 0
        func handOn(_ buffer: [UInt8]) {
            guard !batch.isEmpty else { return }
            batch.seal(buffer, end: end)
            hand(batch)
            batch = SpilledBatch()
        }
        return readRecords({ pending, range in
            guard batch.frame(pending, range) else { handOn(pending); return false }
            end = range.upperBound
            if batch.size >= Self.pipelineBatch { handOn(pending) }
            return true
        }, chunkDone: handOn)
    }

    /// A recent-strings table for decoding records on the output's side (`SpilledGroup`).
    package var recentStrings: RecentStrings {
        var recent = RecentStrings(pinned: knownStrings)
        recent.bytesAreValidUTF8 = true
        return recent
    }
}

/// The spill as its decoding thread sees it: the spill is not appended to while it is read back.
private struct UncheckedSpill: @unchecked Sendable {
    let spill: DiagnosticSpill
}

/// Adds to a record's captured lines (by number) lines its findings quote: path, findings, lines.
public typealias LineFiller = @Sendable (String, [Diagnostic], inout [Int: String]) -> Void

/// A decoded record of the spill, as the decoding thread hands it on.
private typealias DecodedFile = (path: String, diagnostics: [Diagnostic], lines: [Int: String])

/// Merges the spilled per-file diagnostics with the run's other diagnostics (cross-file findings,
/// input problems; sorted runs) into one output-ordered stream, path by path.
public enum OrderedMerge {
    /// With the other diagnostics as a sorted array.
    @discardableResult
    public static func run(_ spill: DiagnosticSpill, extras: [Diagnostic], _ body: (ArraySlice<Diagnostic>) -> Void) -> Bool {
        let runs = DiagnosticRuns(runLength: max(1, extras.count))
        runs.add(contentsOf: extras)
        return run(spill, extras: runs, body)
    }

    /// Returns false when the spill or a run could not be read back completely (the stream ends there).
    @discardableResult
    public static func run(_ spill: DiagnosticSpill, extras: DiagnosticRuns, _ body: (ArraySlice<Diagnostic>) -> Void) -> Bool {
        run(spill, extras: extras) { group, _ in body(group) }
    }

    /// With the source lines the pass captured for each path ([:] when it captured none). A record
    /// with lines and no diagnostics (lines a cross-file finding might quote) is emitted only when
    /// such a finding is on its path. `fillingLines`: see `DiagnosticSpill.forEachRecord`.
    @discardableResult
    public static func run(_ spill: DiagnosticSpill, extras: DiagnosticRuns, fillingLines: LineFiller? = nil,
                           _ body: (ArraySlice<Diagnostic>, [Int: String]) -> Void) -> Bool {
        var merge = Merging(extras: extras, spill: spill)
        let complete = spill.forEachRecord(fillingLines: fillingLines, spent: merge.spent) { path, diagnostics, lines in
            merge.add(path: path, .decoded(diagnostics, lines), body)
        }
        return merge.finish(body) && complete
    }

    /// The same with the findings left as the spill's bytes where they can be (`SpilledGroup`):
    /// a record's findings in output order, on a path of one record, fewer than `decodingFrom`
    /// with the path's cross-file findings. Any other group is decoded (`.decoded`, no lines):
    /// what needs sorting, or what a listing aggregates (`FindingAggregation`).
    @discardableResult
    public static func run(_ spill: DiagnosticSpill, extras: DiagnosticRuns, decodingFrom limit: Int,
                           _ body: (MergedGroup) -> Void) -> Bool {
        var merge = Merging(extras: extras, spill: spill, decodingFrom: limit)
        func decoded(_ group: ArraySlice<Diagnostic>, _ lines: [Int: String]) { body(.decoded(group, lines)) }
        func spilled(_ group: SpilledGroup) { body(.spilled(group)) }
        let complete = spill.forEachBatch(spent: merge.spent) { batch in
            for i in batch.records.indices {
                merge.add(batch, i, decoded, spilled: spilled)
            }
        }
        return merge.finish(decoded, spilled: spilled) && complete
    }
}

/// One path's findings as `OrderedMerge.run(_:extras:decodingFrom:_:)` hands them on.
public enum MergedGroup {
    /// Decoded findings in output order and the source lines the pass captured for the path.
    case decoded(ArraySlice<Diagnostic>, [Int: String])
    /// A record's findings as the spill's bytes, with the path's cross-file findings.
    case spilled(SpilledGroup)
}

extension OrderedMerge {
    /// A spill record as the merge holds it until the next one shows whether it continues its path.
    fileprivate enum HeldRecord {
        case decoded([Diagnostic], [Int: String])
        case spilled(SpilledBatch, Int)
    }

    /// The merge's state between records: the extras' cursor, the record held, what is handed back.
    fileprivate struct Merging {
        let cursor: DiagnosticRuns.Cursor
        /// The stored cross-file result framed (`CrossFileBatch`) when it is all the extras are
        /// and the groups are handed on undecoded (`decodingFrom` set); then `cursor` is empty.
        var stored: StoredCrossFileCursor?
        /// Groups of at least this many findings are decoded (`run(_:extras:decodingFrom:_:)`).
        let decodingFrom: Int
        /// What the output is done with goes back to the spill's decoding thread to be destroyed.
        let spent = SpentValues()
        /// Handed back a batch of files at a time (a lock and a boxed value per file cost ~190
        /// instructions a file); what is left at the end is destroyed here.
        var spentFiles: [[Diagnostic]] = []
        // Consecutive records of one path (stdin named like a file on disk, both linted) are one
        // group, sorted together; their lines are left to the reader (the two texts differ).
        /// The held record's path when it is decoded (a spilled one's is in its batch's bytes).
        var heldPath: String?
        var held: HeldRecord?
        /// For decoding the spilled records that must be (its table is made when first used).
        var recent: RecentStrings
        var failed = false

        init(extras: DiagnosticRuns, spill: DiagnosticSpill, decodingFrom: Int = 0) {
            if decodingFrom > 0, let result = extras.storedResultAlone {
                stored = result.framed()
                cursor = DiagnosticRuns().makeCursor()
            } else {
                stored = nil
                cursor = extras.makeCursor()
            }
            self.decodingFrom = decodingFrom
            recent = spill.recentStrings
        }

        mutating func giveBack(_ diagnostics: [Diagnostic]) {
            if spentFiles.isEmpty { spentFiles.reserveCapacity(spentBatch) }
            spentFiles.append(diagnostics)
            guard spentFiles.count >= spentBatch else { return }
            spent.give(spentFiles)
            spentFiles = []
        }

        /// Emits extras whose path sorts before `path` (nil: all remaining), one group per path.
        mutating func flushExtras(before path: String?, _ body: (ArraySlice<Diagnostic>, [Int: String]) -> Void,
                                  spilled: (SpilledGroup) -> Void) {
            if stored != nil {
                flushStored(before: path, body, spilled: spilled)
                return
            }
            while let first = cursor.peekPath() {
                if let path, !first.bytesPrecede(path) { return }
                let alone = group(first)
                body(alone[...], [:])
                giveBack(alone)
            }
        }

        /// `flushExtras` from the framed stored result: a path's findings are handed on as they
        /// are unless the listing would aggregate them.
        mutating func flushStored(before path: String?, _ body: (ArraySlice<Diagnostic>, [Int: String]) -> Void,
                                  spilled: (SpilledGroup) -> Void) {
            while true {
                if var bound = path {
                    guard let order = bound.withUTF8({ stored?.headComparison($0) }), order < 0 else { return }
                }
                guard let alone = stored?.takeGroup() else { return }
                let name = alone.path
                if alone.count < decodingFrom {
                    spilled(SpilledGroup(path: name, crossFile: alone))
                } else {
                    body(alone.diagnostics(path: name)[...], [:])
                }
            }
        }

        /// The extras of the path `name` spells (the cursor is at or before them). `mutating`
        /// though it changes only the cursor's object: called from `emitHeld`'s closure, which
        /// holds the merge's state in place, a non-mutating call copied that state whole and
        /// destroyed the copy (six retains and releases, ~400 instructions a file with findings).
        mutating func group(_ name: UnsafeBufferPointer<UInt8>) -> [Diagnostic] {
            guard let first = cursor.peekPath(), Self.compare(first, name) == 0 else { return [] }
            return group(first)
        }

        /// `flushExtras` before the path `name` spells, from the cursor.
        mutating func flushCursorExtras(before name: UnsafeBufferPointer<UInt8>, _ body: (ArraySlice<Diagnostic>, [Int: String]) -> Void) {
            while let first = cursor.peekPath() {
                if Self.compare(first, name) >= 0 { return }
                let alone = group(first)
                body(alone[...], [:])
                giveBack(alone)
            }
        }

        /// `bytesCompare` of a path and a path's bytes.
        static func compare(_ path: String, _ name: UnsafeBufferPointer<UInt8>) -> Int {
            if let order = path.utf8.withContiguousStorageIfAvailable({ String.bytesCompare($0, name) }) { return order }
            var path = path
            return path.withUTF8 { String.bytesCompare($0, name) }
        }

        /// The next spilled record, its path left as its batch's bytes (`add(path:_:_:spilled:)`).
        mutating func add(_ batch: SpilledBatch, _ i: Int, _ body: (ArraySlice<Diagnostic>, [Int: String]) -> Void,
                          spilled: (SpilledGroup) -> Void) {
            let continues = batch.withPath(batch.records[i]) { name -> Bool in
                if let heldPath { return Self.compare(heldPath, name) == 0 }
                guard case let .spilled(heldBatch, j)? = held else { return false }
                return heldBatch.withPath(heldBatch.records[j]) { String.bytesCompare($0, name) == 0 }
            }
            if continues {
                var diagnostics = decoded(held)
                held = nil
                diagnostics.append(contentsOf: decoded(.spilled(batch, i)))
                heldPath = batch.path(batch.records[i])
                held = .decoded(diagnostics, [:])
                return
            }
            emitHeld(body, spilled: spilled)
            heldPath = nil
            held = .spilled(batch, i)
        }

        /// The extras of `path` (the cursor is at or before them). `mutating` for the same reason.
        mutating func group(_ path: String) -> [Diagnostic] {
            var out: [Diagnostic] = []
            while let taken = cursor.next(onPath: path) { out.append(taken) }
            return out
        }

        /// The next record in spill order.
        mutating func add(path: String, _ record: HeldRecord, _ body: (ArraySlice<Diagnostic>, [Int: String]) -> Void,
                          spilled: (SpilledGroup) -> Void = { _ in }) {
            if let heldPath, heldPath.hasSameBytes(as: path) {
                var diagnostics = decoded(held)
                held = nil
                diagnostics.append(contentsOf: decoded(record))
                self.heldPath = path
                held = .decoded(diagnostics, [:])
                return
            }
            emitHeld(body, spilled: spilled)
            heldPath = path
            held = record
        }

        /// A held record's findings as values.
        mutating func decoded(_ record: HeldRecord?) -> [Diagnostic] {
            switch record {
            case let .decoded(diagnostics, _)?: return diagnostics
            case let .spilled(batch, i)?: return decodedOwn(batch, i)
            case nil: return []
            }
        }

        /// A spilled record's findings decoded ([] and the merge failed when malformed).
        mutating func decodedOwn(_ batch: SpilledBatch, _ i: Int) -> [Diagnostic] {
            let record = batch.records[i]
            guard let own = SpilledGroup(batch: batch, record: record, extras: []).decodedOwn(&recent) else {
                failed = true
                return []
            }
            return own
        }

        mutating func emitHeld(_ body: (ArraySlice<Diagnostic>, [Int: String]) -> Void, spilled: (SpilledGroup) -> Void) {
            let decodedPath = heldPath
            heldPath = nil
            var record: HeldRecord?
            swap(&record, &held)
            guard case let .spilled(batch, i)? = record, batch.records[i].sorted, decodedPath == nil else {
                guard let path = decodedPath ?? record.flatMap({ (held: HeldRecord) -> String? in
                    guard case let .spilled(batch, i) = held else { return nil }
                    return batch.path(batch.records[i])
                }) else { return }
                var lines: [Int: String] = [:]
                if case let .decoded(_, captured)? = record { lines = captured }
                var diagnostics = decoded(record)
                record = nil
                emit(path, &diagnostics, lines, body, spilled: spilled)
                return
            }
            let own = batch.records[i]
            if stored != nil {
                let path = batch.path(own)
                flushExtras(before: path, body, spilled: spilled)
                emitStored(path, batch, i, body, spilled: spilled)
                return
            }
            // The path is compared as its batch's bytes: a `String` of it is made only for a group decoded.
            let extras = batch.withPath(own) { name in
                flushCursorExtras(before: name, body)
                return group(name)
            }
            guard Diagnostic.isSorted(extras) else {
                var diagnostics = decodedOwn(batch, i)
                merge(&diagnostics, own: own.findings.count, sorted: true, extras: extras)
                if !diagnostics.isEmpty { body(diagnostics[...], [:]) }
                giveBack(diagnostics)
                return
            }
            if own.findings.isEmpty && extras.isEmpty { return }
            guard own.findings.count + extras.count < decodingFrom else {
                var diagnostics = decodedOwn(batch, i)
                merge(&diagnostics, own: own.findings.count, sorted: true, extras: extras)
                body(diagnostics[...], [:])
                giveBack(diagnostics)
                return
            }
            spilled(SpilledGroup(batch: batch, record: own, extras: extras))
            if !extras.isEmpty { giveBack(extras) }
        }

        /// `emitHeld`'s sorted spilled record with the path's framed stored findings: decoded
        /// where the decoded route would (out of order, or as many as the listing aggregates).
        mutating func emitStored(_ path: String, _ batch: SpilledBatch, _ i: Int,
                                 _ body: (ArraySlice<Diagnostic>, [Int: String]) -> Void, spilled: (SpilledGroup) -> Void) {
            let own = batch.records[i]
            let crossFile = stored?.take(onPath: path)
            let count = own.findings.count + (crossFile?.count ?? 0)
            if count == 0 { return }
            if count >= decodingFrom || crossFile?.isSorted == false {
                var diagnostics = decodedOwn(batch, i)
                merge(&diagnostics, own: own.findings.count, sorted: true, extras: crossFile?.diagnostics(path: path) ?? [])
                if !diagnostics.isEmpty { body(diagnostics[...], [:]) }
                giveBack(diagnostics)
                return
            }
            spilled(SpilledGroup(batch: batch, record: own, crossFile: crossFile))
        }

        /// `diagnostics`: the path's own findings (held only here, so they are extended in place).
        mutating func emit(_ path: String, _ diagnostics: inout [Diagnostic], _ lines: [Int: String],
                           _ body: (ArraySlice<Diagnostic>, [Int: String]) -> Void, spilled: (SpilledGroup) -> Void) {
            flushExtras(before: path, body, spilled: spilled)
            let own = diagnostics.count
            let sorted = Diagnostic.isSorted(diagnostics)
            // The path's cross-file findings, moved onto the end of its own.
            if stored != nil {
                if let crossFile = stored?.take(onPath: path) { diagnostics.append(contentsOf: crossFile.diagnostics(path: path)) }
            } else {
                while let taken = cursor.next(onPath: path) { diagnostics.append(taken) }
            }
            // A file appended for its lines alone, with no cross-file finding to quote them.
            if diagnostics.isEmpty { return }
            merge(&diagnostics, own: own, sorted: sorted, extras: [])
            body(diagnostics[...], lines)
            giveBack(diagnostics)
        }

        /// Puts `diagnostics` (its first `own` the record's, the rest — and `extras`, appended
        /// here — the path's cross-file findings) in output order.
        func merge(_ diagnostics: inout [Diagnostic], own: Int, sorted: Bool, extras: [Diagnostic]) {
            diagnostics.append(contentsOf: extras)
            if !sorted {
                diagnostics.sort(by: Diagnostic.outputOrder)
            } else if diagnostics.count > own {
                // One path: the record's (or consecutive records' of the same bytes) and the
                // cross-file findings taken for it.
                mergeInPlace(&diagnostics, from: own, onePath: true)
            }
        }

        /// Emits the record held and the extras left; whether every record and run was read whole.
        mutating func finish(_ body: (ArraySlice<Diagnostic>, [Int: String]) -> Void, spilled: (SpilledGroup) -> Void = { _ in }) -> Bool {
            emitHeld(body, spilled: spilled)
            flushExtras(before: nil, body, spilled: spilled)
            return !failed && !cursor.failed && stored?.failed != true
        }
    }
}

extension OrderedMerge {
    /// Files' findings handed back to the decoding thread at a time (`SpentValues`).
    private static let spentBatch = 32

    /// Cross-file findings moved into place one by one at most this many: more (rare) are merged by copying.
    private static let inPlaceLimit = 32

    /// `list[..<split]` and `list[split...]` (each sorted) as `merging` orders them, in place: each
    /// later finding is moved before the earlier ones it precedes in one move, the findings between
    /// shifted up, so findings are moved, not copied (a file has a few cross-file findings, each
    /// copy retained five strings).
    /// `onePath`: every finding of `list` is on one path (the same bytes), so positions are
    /// compared without comparing the paths first.
    package static func mergeInPlace(_ list: inout [Diagnostic], from split: Int, onePath: Bool = false) {
        guard split > 0, split < list.count else { return }
        guard list.count - split <= inPlaceLimit else {
            list = merging(Array(list[..<split]), Array(list[split...]))
            return
        }
        // Through the buffer: the array's subscript and `swapAt` copied each finding they touched.
        list.withUnsafeMutableBufferPointer { findings in
            guard let base = findings.baseAddress else { return }
            for j in split..<findings.count {
                // Where the finding at `j` goes: before every earlier one it precedes. Stops at an
                // earlier later-list finding (sorted: never preceded), so their order holds.
                var k = j
                while k > 0 && precedes(findings, j, k - 1, onePath: onePath) { k -= 1 }
                guard k < j else { continue }
                // Moved there at once, the findings between shifted up one place in one move (a
                // swap per place moved each finding three times).
                let moving = (base + j).move()
                (base + k + 1).moveInitialize(from: base + k, count: j - k)
                (base + k).initialize(to: moving)
            }
        }
    }

    /// `Diagnostic.outputOrder(findings[a], findings[b])` with the two read where they are:
    /// passed by value, both were copied per comparison (a retain and a release of each of their
    /// strings). Findings of one path mostly differ in line or column, compared here in place.
    @inline(__always)
    private static func precedes(_ findings: UnsafeMutableBufferPointer<Diagnostic>, _ a: Int, _ b: Int, onePath: Bool) -> Bool {
        if onePath || findings[a].path.hasSameBytes(as: findings[b].path) {
            if findings[a].line != findings[b].line { return findings[a].line < findings[b].line }
            if findings[a].column != findings[b].column { return findings[a].column < findings[b].column }
        }
        return Diagnostic.outputOrder(findings[a], findings[b])
    }

    /// Two sorted lists as one, `first`'s before `second`'s among equals: what a stable sort of
    /// `first + second` gives, in one pass (a corpus of copies has cross-file findings on every file).
    package static func merging(_ first: [Diagnostic], _ second: [Diagnostic]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        out.reserveCapacity(first.count + second.count)
        var i = 0, j = 0
        while i < first.count && j < second.count {
            if Diagnostic.outputOrder(second[j], first[i]) {
                out.append(second[j])
                j += 1
            } else {
                out.append(first[i])
                i += 1
            }
        }
        out.append(contentsOf: first[i...])
        out.append(contentsOf: second[j...])
        return out
    }
}

/// The spill's form of a diagnostic: the cache's compact form, except that the rule id, message
/// and fix description are written once per file and then referred to by number (a file's
/// findings repeat a few of them; decoding each again validated UTF-8 and allocated a `String`).
package enum SpilledStrings {
    /// Strings already written in this record, the latest searched first.
    package struct Writer {
        /// Where each string written in this record lies in the writer it went to (its bytes,
        /// after the length): compared there, as bytes. Held as `String`s, every string written
        /// was retained, and letting them go for the next record destroyed each through its
        /// value witness (~800 instructions a record). Slots `0..<count` are this record's: the
        /// array is not emptied between records (emptying it was ~80 instructions a record).
        private var written: [Range<Int>] = []
        private var count = 0
        /// Indices in `written` of the last three strings written (-1: none). A diagnostic writes
        /// its rule id, message and fix description in that order, and a file's findings mostly
        /// repeat them, so the string written three (or two, without a fix) calls ago is tried first.
        private var lastThree = (-1, -1, -1)

        package init() {}

        /// Forgets the strings of the previous record.
        package mutating func reset() {
            count = 0
            lastThree = (-1, -1, -1)
        }

        /// 0 and the string's bytes when it is new; else its number + 1. Every string of one
        /// record goes to the same `out`, which is only appended to meanwhile (the numbers refer
        /// to the bytes written there).
        package mutating func write(_ s: String, to out: inout ByteWriter) {
            // Compared as bytes (`==` is canonical equivalence: an NFD message would come back as
            // the NFC one).
            let wrote: Void? = s.utf8.withContiguousStorageIfAvailable { write(utf8: $0, to: &out) }
            if wrote == nil { Array(s.utf8).withUnsafeBufferPointer { write(utf8: $0, to: &out) } }
        }

        private mutating func write(utf8 s: UnsafeBufferPointer<UInt8>, to out: inout ByteWriter) {
            if let guess = repeated(s, at: lastThree.0, in: out) ?? repeated(s, at: lastThree.1, in: out) {
                out.varint(UInt64(guess + 1))
                remember(guess)
                return
            }
            var k = count - 1
            let oldest = max(0, count - 16)
            while k >= oldest {
                if Self.same(s, written[k], in: out) { out.varint(UInt64(k + 1)); remember(k); return }
                k -= 1
            }
            out.varint(0)
            let range = out.blob(s)
            if count < written.count {
                written[count] = range
            } else {
                written.append(range)
            }
            count += 1
            remember(count - 1)
        }

        @inline(__always)
        private func repeated(_ s: UnsafeBufferPointer<UInt8>, at index: Int, in out: ByteWriter) -> Int? {
            index >= 0 && Self.same(s, written[index], in: out) ? index : nil
        }

        /// Whether `s` has the bytes at `range` of `out`.
        @inline(__always)
        private static func same(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, in out: ByteWriter) -> Bool {
            guard range.count == s.count else { return false }
            guard let a = s.baseAddress, range.count > 0 else { return true }
            return out.bytes.withUnsafeBufferPointer { bytes in
                guard let base = bytes.baseAddress, range.upperBound <= bytes.count else { return false }
                return memcmp(a, base + range.lowerBound, range.count) == 0
            }
        }

        private mutating func remember(_ index: Int) {
            lastThree = (lastThree.1, lastThree.2, index)
        }
    }
}

extension ByteReader {
    /// A string written by `SpilledStrings.Writer`; `strings[recordStart...]`: those of the record
    /// so far; `recent`: strings of earlier records, shared rather than decoded again.
    package mutating func spilledString(_ strings: inout [String], recordStart: Int = 0, recent: inout RecentStrings) -> String? {
        guard let ref = int() else { return nil }
        if ref > 0 { return ref <= strings.count - recordStart ? strings[recordStart + ref - 1] : nil }
        guard let s = string(&recent) else { return nil }
        strings.append(s)
        return s
    }

    /// Room left in a record's array of findings for the cross-file findings on its path, which
    /// the ordered merge appends in place (growing the array copied it, once for most files of
    /// a corpus of copies).
    package static let crossFileRoom = 4

    /// `count` diagnostics of one record under `path` (its strings from `strings[recordStart...]`
    /// on, see `spilledString`); nil when malformed.
    package mutating func spilledDiagnostics(_ count: Int, path: String, strings: inout [String], recordStart: Int = 0,
                                             recent: inout RecentStrings) -> [Diagnostic]? {
        var out: [Diagnostic] = []
        out.reserveCapacity(min(count, 4096) + Self.crossFileRoom)
        for _ in 0..<count {
            guard let d = diagnostic(path: path, recent: &recent, text: { $0.spilledString(&strings, recordStart: recordStart, recent: &$1) }) else { return nil }
            out.append(d)
        }
        return out
    }
}

/// A cache hit's diagnostics in the spill's record form, as the verified cache entry stores them
/// (its bytes shared, not copied; their framing checked when the entry was read): the delivery
/// copies them into the spill, and only the output decodes them.
package struct SpilledDiagnostics: Sendable {
    package let bytes: [UInt8]
    package let range: Range<Int>
    package let count: Int
    /// The entry's source-lines section (`ByteWriter.sourceLines`) and how many lines it holds;
    /// nil when the run has no use for them (its format quotes no line).
    package let lines: (range: Range<Int>, count: Int)?
    /// The lines were written by this run from its own strings (a cache miss's entry), not read
    /// from a cache file: valid UTF-8, so the spill copies them without checking them again.
    package var linesKnownValid = false

    package init(bytes: [UInt8], range: Range<Int>? = nil, count: Int, lines: (range: Range<Int>, count: Int)? = nil) {
        self.bytes = bytes
        self.range = range ?? 0..<bytes.count
        self.count = count
        self.lines = lines
    }

    /// The same findings without the stored lines (a run that quotes none need not copy them).
    package var withoutLines: SpilledDiagnostics { SpilledDiagnostics(bytes: bytes, range: range, count: count) }

    package var hasLines: Bool { (lines?.count ?? 0) > 0 }

    package func decode(path: String, knownStrings: KnownStrings) -> [Diagnostic]? {
        var r = ByteReader(bytes, range: range)
        var strings: [String] = []
        var recent = RecentStrings(pinned: knownStrings)
        guard let out = r.spilledDiagnostics(count, path: path, strings: &strings, recent: &recent), r.atEnd else { return nil }
        return out
    }
}
