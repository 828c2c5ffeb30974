import Foundation
import Testing
@testable import NewsLintCore

/// `PathList` stores paths front-coded in groups of 16 and decodes one in a buffer on the stack,
/// or, for a path longer than that buffer, in one sized by its group: both must read back
/// every path byte for byte.
@Suite struct PathListTests {
    @Test func pathsOfEveryLengthReadBackAsAppended() {
        var paths: [String] = []
        for k in 0..<200 {
            // Short and long (past the 1 KB stack buffer, and whole groups past it), sharing prefixes.
            let length = [5, 60, 900, 1_100, 3_000][k % 5]
            let stem = String(repeating: k % 3 == 0 ? "新" : "d", count: length / 3)
            paths.append("root/\(stem)/\(k)-\(String(repeating: "x", count: k % 7)).md")
        }
        paths.sort { $0.bytesPrecede($1) }
        for budget in [PathList.defaultMemoryBudget, 0] {
            var list = PathList(memoryBudget: budget)
            for p in paths { list.append(utf8: Array(p.utf8)) }
            #expect(list.count == paths.count)
            #expect(list.isStrictlyIncreasing)
            for (i, p) in paths.enumerated() { #expect(list[i].hasSameBytes(as: p), "path \(i)") }
        }
    }

    @Test func orderIsTrackedAsPathsAreAppended() {
        var list = PathList()
        for p in ["a/b", "a/b/c", "a/bb", "a/c"] { list.append(p) }
        #expect(list.isStrictlyIncreasing)
        list.append("a/bb")
        #expect(!list.isStrictlyIncreasing)
        #expect(Array(list) == ["a/b", "a/b/c", "a/bb", "a/c", "a/bb"])
    }
}
