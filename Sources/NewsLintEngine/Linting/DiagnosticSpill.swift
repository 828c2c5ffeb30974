import Foundation
import NewsLintCore

/// Per-file diagnostics of a run in output order, compactly encoded: in memory while small, then
/// in an unlinked temporary file, so a run's diagnostics never have to be held as values.
public final class DiagnosticSpill {
    /// Bytes buffered before they go to the temporary file.
    package let threshold: Int
    private var buffer = ByteWriter()
    private var file: FileHandle?
    public private(set) var spilledBytes = 0

    public init(threshold: Int = 1 << 18) { self.threshold = threshold }

    /// Appends one file's diagnostics (all of one path, in output order).
    public func append(_ diagnostics: [Diagnostic]) {
        guard let path = diagnostics.first?.path else { return }
        var record = ByteWriter()
        record.string(path)
        record.varint(UInt64(diagnostics.count))
        for d in diagnostics { record.diagnostic(d) }
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
                for _ in 0..<count {
                    guard let d = record.diagnostic(path: path) else { return false }
                    diagnostics.append(d)
                }
                position = r.position
                body(diagnostics)
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
        var cursor = extras.makeCursor()
        /// Emits extras whose path sorts before `path` (nil: all remaining), one group per path.
        func flushExtras(before path: String?) {
            while let first = cursor.peek() {
                if let path, !first.path.utf8.lexicographicallyPrecedes(path.utf8) { return }
                body(group(first.path)[...])
            }
        }
        /// The extras of `path` (the cursor is at or before them).
        func group(_ path: String) -> [Diagnostic] {
            var out: [Diagnostic] = []
            while let d = cursor.peek(), d.path == path, let taken = cursor.next() { out.append(taken) }
            return out
        }
        let complete = spill.forEachFile { diagnostics in
            guard let path = diagnostics.first?.path else { return }
            flushExtras(before: path)
            let mine = group(path)
            if mine.isEmpty {
                body(diagnostics[...])
            } else {
                var merged = diagnostics
                merged.append(contentsOf: mine)
                merged.sort(by: Diagnostic.outputOrder)
                body(merged[...])
            }
        }
        flushExtras(before: nil)
        return complete && !cursor.failed
    }
}
