import NewsLintCore
import NewsLintRules

/// Unified diffs (`diff -u` shape) between two versions of a file, by lines (Myers' algorithm).
public enum UnifiedDiff {
    public static func render(old: [UInt8], new: [UInt8], path: String, context: Int = 3) -> String {
        let a = splitLines(old), b = splitLines(new)
        let ops = diff(a, b)
        guard ops.contains(where: { $0.kind != .same }) else { return "" }
        var out = "--- a/\(path)\n+++ b/\(path)\n"
        // Group ops into hunks with `context` lines around changes.
        var i = 0
        while i < ops.count {
            guard let firstChange = ops[i...].firstIndex(where: { $0.kind != .same }) else { break }
            var start = max(i, firstChange - context)
            if start < i { start = i }
            var end = firstChange
            var lastChange = firstChange
            while end < ops.count {
                if ops[end].kind != .same { lastChange = end }
                if end - lastChange > context * 2 { break }
                end += 1
            }
            end = min(ops.count, lastChange + context + 1)
            let hunk = ops[start..<end]
            let oldStart = (hunk.first?.oldIndex ?? 0) + 1
            let newStart = (hunk.first?.newIndex ?? 0) + 1
            let oldCount = hunk.filter { $0.kind != .insert }.count
            let newCount = hunk.filter { $0.kind != .delete }.count
            out += "@@ -\(oldCount == 0 ? oldStart - 1 : oldStart),\(oldCount) +\(newCount == 0 ? newStart - 1 : newStart),\(newCount) @@\n"
            for op in hunk {
                let line: [UInt8]
                let prefix: String
                switch op.kind {
                case .same: prefix = " "; line = a[op.oldIndex]
                case .delete: prefix = "-"; line = a[op.oldIndex]
                case .insert: prefix = "+"; line = b[op.newIndex]
                }
                // Work on bytes: as a Character, "\r\n" is one grapheme and would hide the "\n".
                let hasNewline = line.last == 0x0A
                out += prefix + String(decoding: hasNewline ? line.dropLast() : line[...], as: UTF8.self) + "\n"
                if !hasNewline { out += "\\ No newline at end of file\n" }
            }
            i = end
        }
        return out
    }

    package enum Kind { case same, delete, insert }
    package struct Op { var kind: Kind; var oldIndex: Int; var newIndex: Int }

    /// Lines including their terminators (so CRLF and a missing final newline show up).
    package static func splitLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            lines.append(Array(bytes[start...i]))
            start = i + 1
        }
        if start < bytes.count { lines.append(Array(bytes[start...])) }
        return lines
    }

    /// Edit script: common prefix and suffix are matched directly; the middle goes through Myers
    /// when the difference is small, else becomes one delete-then-insert block (a line-ending
    /// conversion changes every line; Myers would then cost O(N·D) time and trace memory).
    package static func diff(_ a: [[UInt8]], _ b: [[UInt8]], maxEdits: Int = 2_000) -> [Op] {
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let midA = Array(a[prefix..<(a.count - suffix)]), midB = Array(b[prefix..<(b.count - suffix)])
        var ops = (0..<prefix).map { Op(kind: .same, oldIndex: $0, newIndex: $0) }
        let middle = myers(midA, midB, maxEdits: maxEdits) ?? (
            midA.indices.map { Op(kind: .delete, oldIndex: $0, newIndex: 0) } + midB.indices.map { Op(kind: .insert, oldIndex: midA.count, newIndex: $0) })
        ops += middle.map { Op(kind: $0.kind, oldIndex: $0.oldIndex + prefix, newIndex: $0.newIndex + prefix) }
        ops += (0..<suffix).map { Op(kind: .same, oldIndex: a.count - suffix + $0, newIndex: b.count - suffix + $0) }
        return ops
    }

    /// Myers O(ND) diff producing an edit script, or nil when more than `maxEdits` edits are needed.
    package static func myers(_ a: [[UInt8]], _ b: [[UInt8]], maxEdits: Int) -> [Op]? {
        var traceCells = 0
        return myers(a, b, maxEdits: maxEdits, traceCells: &traceCells)
    }

    /// `myers`, counting in `traceCells` the Ints its trace kept (the memory it held). Exists for
    /// tests, which bound that memory; the engine calls the form without the count.
    package static func myers(_ a: [[UInt8]], _ b: [[UInt8]], maxEdits: Int, traceCells: inout Int) -> [Op]? {
        let n = a.count, m = b.count
        if n + m > 0 && min(n, m) == 0 { return nil }
        let max = n + m
        var v = [Int](repeating: 0, count: 2 * max + 2)
        // `trace[d]`: `v` before step d, only where step d and the backtrack read it (diagonals
        // -d-1...d+1; `windowStart(d)` is its first index in `v`). A whole `v` per step was
        // 50 × 2(n+m) Ints on a large file (1.3 GB for 15 MB of lines); the window is O(d).
        var trace: [[Int]] = []
        func windowStart(_ d: Int) -> Int { Swift.max(0, max - d - 1) }
        if max == 0 { return [] }
        // The number of steps tried, as before the windows (the same diffs, same fallbacks).
        let limit = Swift.min(maxEdits, Swift.max(50, 4_000_000 / (2 * max + 2)))
        outer: for d in 0...max {
            if d > limit { return nil }
            trace.append(Array(v[windowStart(d)...(max + d + 1)]))
            traceCells += trace[d].count
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max]) { x = v[k + 1 + max] } else { x = v[k - 1 + max] + 1 }
                var y = x - k
                while x < n && y < m && a[x] == b[y] { x += 1; y += 1 }
                v[k + max] = x
                if x >= n && y >= m { trace.append([]); break outer } // (never read: marks the last step)
            }
        }
        // Backtrack.
        var ops: [Op] = []
        var x = n, y = m
        for d in stride(from: trace.count - 2, through: 0, by: -1) {
            let window = trace[d], offset = max - windowStart(d)
            let k = x - y
            let prevK: Int
            if k == -d || (k != d && window[k - 1 + offset] < window[k + 1 + offset]) { prevK = k + 1 } else { prevK = k - 1 }
            let prevX = window[prevK + offset]
            let prevY = prevX - prevK
            while x > prevX && y > prevY { x -= 1; y -= 1; ops.append(Op(kind: .same, oldIndex: x, newIndex: y)) }
            if d > 0 {
                if x == prevX { y -= 1; ops.append(Op(kind: .insert, oldIndex: x, newIndex: y)) } else { x -= 1; ops.append(Op(kind: .delete, oldIndex: x, newIndex: y)) }
            }
        }
        while x > 0 && y > 0 { x -= 1; y -= 1; ops.append(Op(kind: .same, oldIndex: x, newIndex: y)) }
        return ops.reversed()
    }
}
