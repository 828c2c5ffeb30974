import Foundation
import NewsLintCore

/// Stable 64-bit mixing (splitmix64 finaliser).
@inline(__always)
package func mix64(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// Hash of the normalised body (FNV-1a over scalars, then mixed) and its length.
/// Computed with the scalars (`Document.normalizedBody`), which are walked once.
package func normalizedBodyHash(_ document: Document) -> (hash: UInt64, length: Int) {
    let body = document.normalizedBody
    return (body.hash, body.scalars.count)
}

/// FNV-1a over the normalised scalars, mixed with their count.
package func normalizedBodyHash(_ scalars: [UInt32]) -> (hash: UInt64, length: Int) {
    var h = normalizedBodyHashSeed
    for x in scalars { h = (h ^ UInt64(x)) &* normalizedBodyHashPrime }
    return (mix64(h ^ UInt64(scalars.count)), scalars.count)
}

/// FNV-1a's 64-bit offset basis and prime.
package let normalizedBodyHashSeed: UInt64 = 0xcbf2_9ce4_8422_2325
package let normalizedBodyHashPrime: UInt64 = 0x0000_0100_0000_01B3

/// Union-find over indices, for grouping duplicates.
package struct DisjointSets {
    package var parent: [Int]
    package init(_ n: Int) { parent = Array(0..<n) }
    package mutating func find(_ x: Int) -> Int {
        var r = x
        while parent[r] != r { r = parent[r] }
        var y = x
        while parent[y] != r { let next = parent[y]; parent[y] = r; y = next }
        return r
    }
    package mutating func union(_ a: Int, _ b: Int) {
        let ra = find(a), rb = find(b)
        if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
    }
}

/// Files grouped by equal keys, as chains through index arrays: two `Int32`s per file and one
/// dictionary entry per distinct key during the build, no array per group (most groups of a
/// cross-file reduce have one member, and 100k one-element arrays were most of its working set).
/// Members come in index order.
package struct ChainGroups {
    /// Per file: its group's first member, and the next member of its group (-1 at the end).
    private var first: [Int32]
    private var next: [Int32]
    /// Group size, stored at the group's first member.
    private var sizes: [Int32]

    package init<S: Sequence>(_ keys: S) where S.Element: Hashable {
        first = []; next = []; sizes = []
        // Sized once (a fact table's count): arrays grown by doubling held up to twice 12 bytes a file.
        let expected = keys.underestimatedCount
        first.reserveCapacity(expected); next.reserveCapacity(expected); sizes.reserveCapacity(expected)
        var heads: [S.Element: (first: Int32, last: Int32)] = [:]
        for (n, key) in keys.enumerated() {
            let i = Int32(truncatingIfNeeded: n)
            next.append(-1)
            sizes.append(0)
            if let h = heads[key] {
                next[Int(h.last)] = i
                heads[key] = (h.first, i)
                first.append(h.first)
            } else {
                heads[key] = (i, i)
                first.append(i)
            }
            sizes[Int(first[n])] += 1
        }
    }

    package func size(of i: Int) -> Int { Int(sizes[Int(first[i])]) }

    package func members(of i: Int) -> UnfoldFirstSequence<Int> {
        sequence(first: Int(first[i])) { [next] j in next[j] < 0 ? nil : Int(next[j]) }
    }
}
