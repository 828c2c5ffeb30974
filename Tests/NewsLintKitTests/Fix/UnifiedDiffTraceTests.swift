import Testing
@testable import NewsLintEngine

/// `--diff` on a large file: Myers' trace kept a whole `v` (2(n+m)+2 Ints) for each of at least 50
/// steps whatever the file's size (the floor of its step limit), 1.3 GB for a 15 MB file of short
/// lines. It keeps each step's window now; the diffs are the ones the whole copies gave.
@Suite struct UnifiedDiffTraceTests {
    /// The Myers before the windows (a whole `v` per step), the reference for the edit scripts.
    static func referenceMyers(_ a: [[UInt8]], _ b: [[UInt8]], maxEdits: Int) -> [UnifiedDiff.Op]? {
        let n = a.count, m = b.count
        if n + m > 0 && min(n, m) == 0 { return nil }
        let max = n + m
        var v = [Int](repeating: 0, count: 2 * max + 2)
        var trace: [[Int]] = []
        if max == 0 { return [] }
        let limit = Swift.min(maxEdits, Swift.max(50, 4_000_000 / (2 * max + 2)))
        outer: for d in 0...max {
            if d > limit { return nil }
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[k - 1 + max] < v[k + 1 + max]) { x = v[k + 1 + max] } else { x = v[k - 1 + max] + 1 }
                var y = x - k
                while x < n && y < m && a[x] == b[y] { x += 1; y += 1 }
                v[k + max] = x
                if x >= n && y >= m { trace.append(v); break outer }
            }
        }
        var ops: [UnifiedDiff.Op] = []
        var x = n, y = m
        for d in stride(from: trace.count - 2, through: 0, by: -1) {
            let vd = trace[d]
            let k = x - y
            let prevK: Int
            if k == -d || (k != d && vd[k - 1 + max] < vd[k + 1 + max]) { prevK = k + 1 } else { prevK = k - 1 }
            let prevX = vd[prevK + max]
            let prevY = prevX - prevK
            while x > prevX && y > prevY { x -= 1; y -= 1; ops.append(UnifiedDiff.Op(kind: .same, oldIndex: x, newIndex: y)) }
            if d > 0 {
                if x == prevX { y -= 1; ops.append(UnifiedDiff.Op(kind: .insert, oldIndex: x, newIndex: y)) } else { x -= 1; ops.append(UnifiedDiff.Op(kind: .delete, oldIndex: x, newIndex: y)) }
            }
        }
        while x > 0 && y > 0 { x -= 1; y -= 1; ops.append(UnifiedDiff.Op(kind: .same, oldIndex: x, newIndex: y)) }
        return ops.reversed()
    }

    static func shape(_ ops: [UnifiedDiff.Op]?) -> [String]? {
        ops?.map { "\($0.kind) \($0.oldIndex) \($0.newIndex)" }
    }

    @Test func sameEditScriptsAsWholeCopies() {
        var rng = SeededRandom(seed: 46_003)
        let lines: [[UInt8]] = ["a\n", "b\n", "c\r\n", "c\n", "中\n", "x"].map { Array($0.utf8) }
        for _ in 0..<2_000 {
            let a = (0..<rng.below(30)).map { _ in rng.pick(lines) }
            let b = (0..<rng.below(30)).map { _ in rng.pick(lines) }
            let maxEdits = rng.pick([0, 1, 3, 10, 2_000])
            #expect(Self.shape(UnifiedDiff.myers(a, b, maxEdits: maxEdits)) == Self.shape(Self.referenceMyers(a, b, maxEdits: maxEdits)), "\(a) \(b)")
        }
    }

    /// 400,000 CRLF lines all turned LF: the 51 steps tried before giving up kept 51 × 1.6 M Ints
    /// (650 MB); the windows keep a few thousand.
    @Test func aLargeConversionKeepsASmallTrace() {
        let count = 400_000
        let a = [[UInt8]](repeating: Array("第一段。\r\n".utf8), count: count)
        let b = [[UInt8]](repeating: Array("第一段。\n".utf8), count: count)
        var traceCells = 0
        #expect(UnifiedDiff.myers(a, b, maxEdits: 2_000, traceCells: &traceCells) == nil)
        #expect(traceCells < 10_000)
        // Lines in common, a few changed: the script is found, with a trace of O(d²).
        var c = a
        for i in stride(from: 0, to: count, by: count / 20) { c[i] = Array("改。\r\n".utf8) }
        traceCells = 0
        let ops = UnifiedDiff.myers(a, c, maxEdits: 2_000, traceCells: &traceCells)
        #expect(ops?.filter { $0.kind != .same }.count == 40)
        #expect(traceCells < 10_000)
    }
}
