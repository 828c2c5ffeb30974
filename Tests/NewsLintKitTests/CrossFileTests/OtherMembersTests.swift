import Foundation
import Testing
@testable import NewsLintRules

/// `OtherMembers` gives each member of a group the listing that naming the first `limit` other
/// members directly gives, reading each path once.
@Suite struct OtherMembersTests {
    /// Groups of 1 to 12 members, interleaved as a corpus of copies interleaves them.
    private static let keys: [Int] = (0..<12).flatMap { copy in (1...12).filter { copy < $0 } }

    @Test(arguments: [1, 3, 5])
    func listingsMatchNamingOthersDirectly(limit: Int) {
        let keys = Self.keys
        let groups = ChainGroups(keys)
        var listings = OtherMembers(limit: limit)
        var decoded = [Int](repeating: 0, count: keys.count)
        for i in keys.indices where groups.size(of: i) > 1 {
            let size = groups.size(of: i)
            let member = listings.visit(i, in: groups) { j in decoded[j] += 1; return "p\(j)" }
            let expected = listing(groups.members(of: i).lazy.filter { $0 != i }.map { "p\($0)" }, total: size - 1, limit: limit)
            #expect(member.path == "p\(i)")
            #expect(member.others == expected, "member \(i) of a group of \(size)")
        }
        // Each path of a group of two or more was read once; single members never.
        for i in keys.indices { #expect(decoded[i] == (groups.size(of: i) > 1 ? 1 : 0), "path \(i)") }
    }

    @Test func groupsAreDroppedAfterTheirLastMember() {
        let groups = ChainGroups([7, 8, 7, 8, 7, 8])
        var listings = OtherMembers(limit: 1)
        var later: [String] = []
        for i in 0..<6 { later.append(listings.visit(i, in: groups) { "p\($0)" }.others) }
        #expect(later == ["p2 and 1 more", "p3 and 1 more", "p0 and 1 more", "p1 and 1 more", "p0 and 1 more", "p1 and 1 more"])
        #expect(listings.openGroups == 0)
    }

    @Test func sharedEndsPathsGiveBackEachPath() {
        let sets: [[String]] = [
            ["copy-00/文章.md", "copy-01/文章.md", "copy-10/文章.md", "copy-01/文章.md"],
            ["ab", "abab", "a", "", "b", "ab"],
            ["", "x", ""],
            ["aa", "a", "aaa", "ba", "ab"],
            ["d/一二三.md", "d/一二.md", "e/三.md", "d/一三.md"],
            // Cut at scalar boundaries inside a character (combining marks, emoji sequences).
            ["a/e\u{301}x.md", "a/e\u{300}x.md", "a/e\u{301}\u{300}x.md", "a/ex.md", "b/e\u{301}"],
            ["🇺🇸/x", "🇺🇦/x", "👨‍👩‍👧/y", "👨‍👩‍👦/y"],
        ]
        for paths in sets {
            let stored = SharedEndsPaths(paths)
            #expect(stored.count == paths.count)
            for k in paths.indices {
                #expect(Array(stored.path(k).utf8) == Array(paths[k].utf8))
                var listed = "x, "
                listed += stored.path(k)
                #expect(Array(listed.utf8) == Array(("x, " + paths[k]).utf8))
                var bytes: [UInt8] = [0x78]
                stored.appendUTF8(k, to: &bytes)
                #expect(bytes == [0x78] + Array(paths[k].utf8))
            }
        }
        #expect(SharedEndsPaths([]).count == 0)
    }

    /// Paths read in place (`withUTF8`, the ends compared in the strings' own bytes) are stored as
    /// the old init stored them from arrays of their bytes (kept here as the reference): each path
    /// of seeded groups of copies (multi-byte names, copies differing in one place or more) is
    /// appended back exactly, and the ends found in place are the ends found in arrays.
    @Test func pathsReadInPlaceAreStoredAsFromArrays() {
        var random = SeededRandom(seed: 41)
        let pieces = ["a", "/", "0", "1", "é", "è", "新", "斤", "聞", "🇺", "🇸", "e\u{301}", "-copy-"]
        func text(_ n: Int) -> String { (0..<n).map { _ in random.pick(pieces) }.joined() }
        var wrong = 0
        for _ in 0..<500 {
            let head = "agora-x10-copies/" + text(random.below(6)), tail = "/" + text(random.below(8)) + ".md"
            let paths = (0..<(1 + random.below(6))).map { _ in head + text(random.below(3)) + (random.chance(0.8) ? tail : text(2)) }
            let stored = SharedEndsPaths(paths)
            let first = Array(paths[0].utf8)
            for (k, path) in paths.enumerated() {
                var bytes: [UInt8] = []
                stored.appendUTF8(k, to: &bytes)
                if bytes != Self.referenceStoredBytes(paths, k) || bytes != Array(path.utf8) { wrong += 1 }
                var copy = path
                let inPlace = first.withUnsafeBytes { a in copy.withUTF8 { SharedEndsPaths.sharedEnds(a, UnsafeRawBufferPointer($0)) } }
                if inPlace != SharedEndsPaths.sharedEnds(first, Array(path.utf8)) { wrong += 1 }
            }
        }
        #expect(wrong == 0)
    }

    /// The old `SharedEndsPaths.init`'s pieces of path `k`: the first path's bytes to the shared
    /// prefix, the path's own middle (from an array of its bytes), the first path's shared suffix.
    private static func referenceStoredBytes(_ paths: [String], _ k: Int) -> [UInt8] {
        let a = Array(paths[0].utf8)
        guard k > 0 else { return a }
        let b = Array(paths[k].utf8)
        let (prefix, suffix) = SharedEndsPaths.sharedEnds(a, b)
        return Array(a[..<prefix]) + Array(b[prefix..<(b.count - suffix)]) + Array(a[(a.count - suffix)...])
    }
}

private extension OtherMembers {
    /// Member `i`'s path and the listing of the other members of its group, as a string.
    mutating func visit(_ i: Int, in groups: ChainGroups, path: (Int) -> String) -> (path: String, others: String) {
        var bytes: [UInt8] = []
        let own = visit(i, in: groups, path: path, appendingListingTo: &bytes)
        return (own, String(decoding: bytes, as: UTF8.self))
    }
}
