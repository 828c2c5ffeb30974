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

    /// Appends one file's diagnostics (all of one path, in output order) and the source lines
    /// the pass captured for them (so reporters quoting them need not read the file again).
    public func append(_ diagnostics: [Diagnostic], lines: [Int: String] = [:]) {
        guard let path = diagnostics.first?.path else { return }
        // One record buffer and string table reused for every file (two allocations per file less).
        record.bytes.removeAll(keepingCapacity: true)
        strings.written.removeAll(keepingCapacity: true)
        record.string(path)
        record.varint(UInt64(diagnostics.count))
        for d in diagnostics { record.diagnostic(d) { strings.write($1, to: &$0) } }
        record.varint(UInt64(lines.count))
        for (n, text) in lines.sorted(by: { $0.key < $1.key }) {
            record.varint(UInt64(max(0, n)))
            record.string(text)
        }
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
        forEachFile { diagnostics, _ in body(diagnostics) }
    }

    /// Like `forEachFile(_:)`, with each file's captured source lines.
    @discardableResult
    public func forEachFile(_ body: ([Diagnostic], [Int: String]) -> Void) -> Bool {
        var pending: [UInt8] = []
        var position = 0
        func decodeAvailable() -> Bool {
            while true {
                var r = ByteReader(pending, range: position..<pending.count)
                guard let length = r.int(), let range = r.skip(length) else { return true }
                var record = ByteReader(pending, range: range)
                guard let path = record.string(), let count = record.int() else { return false }
                var diagnostics: [Diagnostic] = []
                diagnostics.reserveCapacity(min(count, 4096))
                var strings: [String] = []
                for _ in 0..<count {
                    guard let d = record.diagnostic(path: path, text: { $0.spilledString(&strings) }) else { return false }
                    diagnostics.append(d)
                }
                guard let lineCount = record.int() else { return false }
                var lines: [Int: String] = [:]
                for _ in 0..<lineCount {
                    guard let n = record.int(), let text = record.string() else { return false }
                    lines[n] = text
                }
                position = r.position
                body(diagnostics, lines)
            }
        }
        if let file, spilledBytes > 0 {
            do {
                try file.seek(toOffset: 0)
                var read = 0
                while read < spilledBytes, let chunk = try file.read(upToCount: min(1 << 18, spilledBytes - read)), !chunk.isEmpty {
                    read += chunk.count
                    pending.removeFirst(position)
                    position = 0
                    pending.append(contentsOf: chunk)
                    if !decodeAvailable() { return false }
                }
                try file.seekToEnd()
                if read != spilledBytes { return false }
            } catch {
                return false
            }
        }
        pending.removeFirst(position)
        position = 0
        pending.append(contentsOf: buffer.bytes)
        return decodeAvailable() && position == pending.count
    }
}

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

    /// With the source lines the pass captured for each path ([:] for paths with only extras).
    @discardableResult
    public static func run(_ spill: DiagnosticSpill, extras: DiagnosticRuns, _ body: (ArraySlice<Diagnostic>, [Int: String]) -> Void) -> Bool {
        var cursor = extras.makeCursor()
        /// Emits extras whose path sorts before `path` (nil: all remaining), one group per path.
        func flushExtras(before path: String?) {
            while let first = cursor.peek() {
                if let path, !first.path.bytesPrecede(path) { return }
                body(group(first.path)[...], [:])
            }
        }
        /// The extras of `path` (the cursor is at or before them).
        func group(_ path: String) -> [Diagnostic] {
            var out: [Diagnostic] = []
            while let d = cursor.peek(), d.path.hasSameBytes(as: path), let taken = cursor.next() { out.append(taken) }
            return out
        }
        func emit(_ diagnostics: [Diagnostic], _ lines: [Int: String]) {
            guard let path = diagnostics.first?.path else { return }
            flushExtras(before: path)
            let mine = group(path)
            if mine.isEmpty && Diagnostic.isSorted(diagnostics) {
                body(diagnostics[...], lines)
            } else {
                var merged = diagnostics
                merged.append(contentsOf: mine)
                merged.sort(by: Diagnostic.outputOrder)
                body(merged[...], lines)
            }
        }
        // Consecutive records of one path (stdin named like a file on disk, both linted) are one
        // group, sorted together; their lines are left to the reader (the two texts differ).
        var held: (diagnostics: [Diagnostic], lines: [Int: String])?
        let complete = spill.forEachFile { diagnostics, lines in
            if let h = held, let path = h.diagnostics.first?.path, let next = diagnostics.first?.path, path.hasSameBytes(as: next) {
                held = (h.diagnostics + diagnostics, [:])
                return
            }
            if let h = held { emit(h.diagnostics, h.lines) }
            held = (diagnostics, lines)
        }
        if let h = held { emit(h.diagnostics, h.lines) }
        flushExtras(before: nil)
        return complete && !cursor.failed
    }
}

/// The spill's form of a diagnostic: the cache's compact form, except that the rule id, message
/// and fix description are written once per file and then referred to by number (a file's
/// findings repeat a few of them; decoding each again validated UTF-8 and allocated a `String`).
package enum SpilledStrings {
    /// Strings already written in this record, the latest searched first.
    package struct Writer {
        package var written: [String] = []

        /// 0 and the string's bytes when it is new; else its number + 1.
        package mutating func write(_ s: String, to out: inout ByteWriter) {
            // `==` of strings that share storage (one rule id, one literal message) is a pointer check.
            var k = written.count - 1
            let oldest = max(0, written.count - 16)
            while k >= oldest {
                if written[k] == s { out.varint(UInt64(k + 1)); return }
                k -= 1
            }
            out.varint(0)
            out.string(s)
            written.append(s)
        }
    }
}

extension ByteReader {
    /// A string written by `SpilledStrings.Writer`; `strings`: those of the record so far.
    package mutating func spilledString(_ strings: inout [String]) -> String? {
        guard let ref = int() else { return nil }
        if ref > 0 { return ref <= strings.count ? strings[ref - 1] : nil }
        guard let s = string() else { return nil }
        strings.append(s)
        return s
    }
}
