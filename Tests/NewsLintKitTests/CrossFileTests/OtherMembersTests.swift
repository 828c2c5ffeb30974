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
}

private extension OtherMembers {
    /// Member `i`'s path and the listing of the other members of its group, as a string.
    mutating func visit(_ i: Int, in groups: ChainGroups, path: (Int) -> String) -> (path: String, others: String) {
        var bytes: [UInt8] = []
        let own = visit(i, in: groups, path: path, appendingListingTo: &bytes)
        return (own, String(decoding: bytes, as: UTF8.self))
    }
}
