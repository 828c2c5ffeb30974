import Foundation
import NewsLintCore

/// Stored cross-file findings framed, not decoded, for the lazy concise route: their texts (the
/// stored pieces joined again, `CrossFileTexts.Reader.append`) copied into `bytes`, each finding a
/// `SpilledFinding` over them. Made a `String` each, the texts were most of decoding a stored
/// result, and the `Diagnostic`s made of them were merged, written and destroyed one by one on
/// the output's side (a warm run over a corpus of copies has a cross-file finding on every file).
/// A batch ends where a path does: a path's findings are always in one batch.
package final class CrossFileBatch: @unchecked Sendable {
    /// The texts; written only while the batch is built, so pointers into them stay valid.
    fileprivate var texts: TextBuffer
    package fileprivate(set) var findings: [SpilledFinding] = []
    /// Each finding's path in `texts` (consecutive findings of one path share one range).
    fileprivate(set) var paths: [Range<Int>] = []
    /// Each finding's end as stored (0: none, else the value + 1), for a `Diagnostic` made of it.
    fileprivate var ends: [(line: Int, column: Int)] = []
    /// The fixes of the findings that have one, by index (cross-file rules rarely fix).
    fileprivate var fixes: [Int: Fix] = [:]

    /// Findings after which a batch is handed on at the next path.
    static let size = 4096

    /// `bytes`: about what the texts will take (the previous batch's size), `findings` as many.
    fileprivate init(bytes: Int, findings: Int) {
        texts = TextBuffer(capacity: bytes)
        self.findings.reserveCapacity(findings)
        paths.reserveCapacity(findings)
        ends.reserveCapacity(findings)
    }

    /// Back to its first `findings` findings and `bytes` bytes of texts (theirs).
    fileprivate func truncate(findings count: Int, bytes: Int) {
        // A path is kept before its finding is framed: each list is cut on its own.
        if findings.count > count { findings.removeSubrange(count...) }
        if paths.count > count { paths.removeSubrange(count...) }
        if ends.count > count { ends.removeSubrange(count...) }
        if !fixes.isEmpty { fixes = fixes.filter { $0.key < count } }
        texts.truncate(to: bytes)
    }

    package var bytes: UnsafeBufferPointer<UInt8> { texts.bytes }

    fileprivate func path(_ i: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: texts.bytes[paths[i]]) }
}

/// One path's run of stored findings in a batch.
package struct CrossFileSlice {
    let batch: CrossFileBatch
    let range: Range<Int>

    package var count: Int { range.count }

    package var findings: ArraySlice<SpilledFinding> { batch.findings[range] }

    /// The path as a `String` (the bytes are valid UTF-8: see `CrossFileTexts.Reader.append`).
    var path: String { CrossFileSlice.string(batch.path(range.lowerBound)) }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(knownValidUTF8: bytes) ?? String(decoding: bytes, as: UTF8.self)
    }

    /// Whether the findings are in output order (`Diagnostic.isSorted`: one path, so from their keys).
    var isSorted: Bool {
        let bytes = batch.bytes
        return batch.findings.withUnsafeBufferPointer { all in
            var i = range.lowerBound + 1
            while i < range.upperBound {
                if RawFinding(all[i], in: bytes).comparison(with: RawFinding(all[i - 1], in: bytes)) < 0 { return false }
                i += 1
            }
            return true
        }
    }

    /// The findings as the decoded route has them (for a group that must be decoded), under `path`
    /// (the same bytes as theirs).
    func diagnostics(path: String) -> [Diagnostic] {
        let bytes = batch.bytes
        return range.map { i in
            let f = batch.findings[i], end = batch.ends[i]
            return Diagnostic(rule: Self.string(UnsafeBufferPointer(rebasing: bytes[f.rule])), severity: f.severity, path: path,
                              line: f.line, column: f.column, endLine: end.line == 0 ? nil : end.line - 1,
                              endColumn: end.column == 0 ? nil : end.column - 1,
                              message: Self.string(UnsafeBufferPointer(rebasing: bytes[f.message])), fix: batch.fixes[i])
        }
    }
}

/// Builds `CrossFileBatch`es from a stored result's chunks, handing each on at a path's start.
final class CrossFileBatchBuilder {
    /// Findings after which a batch is handed on at the next path (`CrossFileBatch.size`; tests take fewer).
    private let size: Int
    private(set) var batch: CrossFileBatch
    /// The path of the finding being framed.
    private var path = TextBuffer(capacity: 1 << 10)

    /// `textBytes`: what the first batch's texts are reserved at.
    init(size: Int = CrossFileBatch.size, textBytes: Int = 1 << 20) {
        self.size = max(1, size)
        batch = CrossFileBatch(bytes: textBytes, findings: min(self.size, CrossFileBatch.size))
    }

    /// Frames a chunk's findings (as `CrossFileResultFile.decode` reads them: path, then the
    /// diagnostic as a blob); false when it does not frame whole. `hand` gets each full batch.
    /// A chunk that does not frame whole adds nothing: `batch` is left as it was before it (the
    /// decoded route drops the chunk whole), and full batches are handed on only once it framed.
    func frame(_ chunk: [UInt8], texts: CrossFileTexts.Reader, hand: (CrossFileBatch) -> Bool) -> Bool {
        let before = batch, findingsBefore = batch.findings.count, bytesBefore = batch.texts.count
        var full: [CrossFileBatch] = []
        guard frame(chunk, texts: texts, full: &full) else {
            batch = before
            batch.truncate(findings: findingsBefore, bytes: bytesBefore)
            return false
        }
        for b in full { guard hand(b) else { return false } }
        return true
    }

    private func frame(_ chunk: [UInt8], texts: CrossFileTexts.Reader, full: inout [CrossFileBatch]) -> Bool {
        var r = ByteReader(chunk, range: 0..<chunk.count)
        while !r.atEnd {
            path.removeAll()
            guard texts.append(&r, to: &path) != nil, let length = r.int() else { return false }
            let start = r.position
            if let last = batch.paths.last, String.bytesCompare(batch.path(batch.paths.count - 1), path.bytes) == 0 {
                batch.paths.append(last)
            } else {
                if batch.findings.count >= size {
                    full.append(batch)
                    // The next batch's at about this one's size (grown from small, its texts were copied at each doubling).
                    batch = CrossFileBatch(bytes: batch.texts.count + batch.texts.count / 8, findings: batch.findings.count + batch.findings.count / 8)
                }
                let at = batch.texts.count
                if let p = path.bytes.baseAddress { batch.texts.append(p, count: path.count) }
                batch.paths.append(at..<batch.texts.count)
            }
            guard finding(&r, texts: texts), r.position == start + length else { return false }
        }
        return true
    }

    /// One diagnostic as `ByteReader.diagnostic` reads it, with the same checks; false when malformed.
    private func finding(_ r: inout ByteReader, texts: CrossFileTexts.Reader) -> Bool {
        guard let rule = texts.append(&r, to: &batch.texts), let sev = r.byte(), sev <= 2, let line = r.int(), let column = r.int(),
              let endLine = r.int(), let endColumn = r.int(), let message = texts.append(&r, to: &batch.texts),
              let hasFix = r.byte(), hasFix <= 2 else { return false }
        if hasFix != 0 {
            guard let applicability = Applicability(storedByte: hasFix), let description = texts.text(&r), let editCount = r.int() else { return false }
            var edits: [Edit] = []
            for _ in 0..<editCount {
                guard let lo = r.int(), let hi = r.int(), lo <= hi, let n = r.int(), let range = r.skip(n) else { return false }
                edits.append(Edit(range: lo..<hi, replacement: Array(r.bytes[range])))
            }
            batch.fixes[batch.findings.count] = Fix(applicability, description, edits: edits)
        }
        batch.findings.append(SpilledFinding(rule: rule, message: message, line: line, column: column, storedSeverity: sev, storedFix: hasFix))
        batch.ends.append((endLine, endColumn))
        return true
    }
}

/// A stored result read as `CrossFileBatch`es in order, a path's findings at a time (the lazy
/// concise route's counterpart of `DiagnosticRuns.Cursor` over it alone). A value held by the
/// merge: asked for every path, it reads the next finding's path through a pointer kept at hand.
package struct StoredCrossFileCursor {
    private let next: () -> CrossFileBatch?
    private let complete: () -> Bool
    private var batch: CrossFileBatch?
    /// The next finding in `batch` and how many it has.
    private var at = 0
    private var available = 0
    /// The next finding's path (in `batch`, which keeps it).
    private var headPath = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var ended = false
    /// Whether the result could not be read whole (the stream ends there).
    package private(set) var failed = false

    init(next: @escaping () -> CrossFileBatch?, complete: @escaping () -> Bool) {
        self.next = next
        self.complete = complete
    }

    /// Whether a finding is left (the next batch taken when this one is done).
    private mutating func ready() -> Bool {
        at < available || load()
    }

    private mutating func load() -> Bool {
        while !ended {
            batch = nil
            at = 0
            available = 0
            guard let loaded = next() else {
                ended = true
                failed = !complete()
                return false
            }
            batch = loaded
            available = loaded.findings.count
            if available > 0 {
                headPath = loaded.path(0)
                return true
            }
        }
        return false
    }

    /// `bytesCompare` of the next finding's path with `path`; nil at the end.
    package mutating func headComparison(_ path: UnsafeBufferPointer<UInt8>) -> Int? {
        guard ready() else { return nil }
        return String.bytesCompare(headPath, path)
    }

    /// The findings of the next finding's path (consecutive ones); nil at the end.
    package mutating func takeGroup() -> CrossFileSlice? {
        guard ready(), let batch else { return nil }
        let start = at
        var end = at + 1
        batch.paths.withUnsafeBufferPointer { paths in
            while end < paths.count && paths[end] == paths[start] { end += 1 }
        }
        at = end
        if end < available { headPath = batch.path(end) }
        return CrossFileSlice(batch: batch, range: start..<end)
    }

    /// The findings on `path` when the next finding is on it; nil otherwise.
    package mutating func take(onPath path: String) -> CrossFileSlice? {
        var path = path
        let same = path.withUTF8 { headComparison($0) == 0 }
        return same ? takeGroup() : nil
    }
}
