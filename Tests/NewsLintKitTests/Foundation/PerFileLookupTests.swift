import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine

/// The per-file lookups made cheaper in session 15 answer as the plain versions did: front-matter
/// keys by index (no entry copies), the header/footer zones walked from each end, suppression
/// comments found by their `!`.
@Suite struct PerFileLookupTests {
    private func frontMatter(_ lines: [String]) throws -> FrontMatter {
        try #require(Document(path: "a.md", text: "---\n" + lines.joined(separator: "\n") + "\n---\nbody\n").frontMatter)
    }

    @Test func keyLookupFindsTheFirstEntryOfAKey() throws {
        // `date` and `tags` have the same length: the length test alone must not decide.
        let fm = try frontMatter(["tags: a", "date: 2024-01-02", "title: x", "date: 2025-01-01"])
        #expect(fm.index(of: "date") == 1)
        #expect(fm.index(of: "tags") == 0)
        #expect(fm.index(of: "slug") == nil)
        #expect(fm.contains("title") && !fm.contains("titl"))
        #expect(fm.string("date") == "2024-01-02")
        #expect(fm.entry("date")?.line == 3)
    }

    /// `String ==` is canonical equivalence: keys of different UTF-8 lengths can still be equal
    /// (precomposed `café` and `cafe` + U+0301, `가` and its jamo, KELVIN SIGN and `K`).
    @Test func canonicallyEqualKeysOfOtherLengthsMatch() throws {
        let fm = try frontMatter(["title\u{301}: x", "date: 2024-01-01", "\u{212A}ey: v"])
        #expect(fm.index(of: "titl\u{E9}") == 0)
        #expect(fm.contains("Key"))
        let duplicates = try frontMatter(["title: x", "caf\u{E9}: 1", "cafe\u{301}: 2", "\u{AC00}: 3", "\u{1100}\u{1161}: 4"])
        #expect(duplicates.problems.filter { $0.message.hasPrefix("duplicate key") }.map(\.line) == [4, 6])
        let ascii = try frontMatter(["title: x", "date: 1", "date: 2"])
        #expect(ascii.problems.filter { $0.message.hasPrefix("duplicate key") }.map(\.line) == [4])
    }

    @Test func keyLookupWithManyKeysUsesTheFirstEntry() throws {
        let keys = (0..<30).map { "k\($0): v\($0)" }
        let fm = try frontMatter(keys + ["k7: again"])
        #expect(fm.index(of: "k7") == 7)
        #expect(fm.string("k7") == "v7")
        #expect(fm.index(of: "k30") == nil)
    }

    @Test func trimmingTrailingSpacesKeepsTheSliceBounds() {
        let bytes = Array("  ab \t ".utf8)
        let trimmed = bytes[1...].trimmingTrailingSpaces()
        #expect(trimmed.startIndex == 1 && trimmed.endIndex == 4)
        #expect(bytes[5...].trimmingTrailingSpaces().isEmpty)
        #expect(bytes[2..<4].trimmingTrailingSpaces() == bytes[2..<4])
    }

    @Test(arguments: [(0, 0), (1, 1), (2, 3), (6, 6), (3, 0), (0, 2)])
    func zonesAreTheFirstAndLastContentLines(header: Int, footer: Int) {
        // Blank lines and a fenced block do not count; on a short body the zones overlap.
        let text = "---\ntitle: t\n---\none\n\ntwo\n```\ncode\n```\nthree\n  \nfour\n"
        let document = Document(path: "a.md", text: text)
        let content = (document.bodyLines.map(Array.init) ?? []).filter {
            !document.isCode(line: $0) && !TextScan.isBlank(document.bytes, document.contentRange(ofLine: $0))
        }
        let zones = DocumentZones(document, headerLines: header, footerLines: footer)
        #expect(zones.headerLines == Array(content.prefix(header)))
        #expect(zones.footerLines == Array(content.suffix(footer)))
    }

    @Test func directivesAreFoundAmongOtherBangsAndTags() {
        let text = """
        ---
        title: t
        ---
        Hello! <b>bold</b> <!doctype> a<!-x
        <!-- newslint-disable-next-line foo -->
        text <<!-- newslint-disable-line bar, baz --> and !<!-- not ours -->
        <!-- newslint-enable -->
        """
        let found = Suppressions.directives(in: Document(path: "a.md", text: text))
        #expect(found.map(\.line) == [5, 6, 7])
        #expect(found.map(\.kind) == [.nextLine, .line, .enable])
        #expect(found[1].names == ["bar", "baz"])
    }

    @Test func aRestartedCollectBudgetIsNotStopped() {
        let budget = CollectBudget(seconds: 0)
        #expect(budget.isOverBudget)
        budget.restart(seconds: 3600)
        #expect(!budget.stopped && !budget.isOverBudget)
    }

    /// Restarted with the seconds it already has (the engine's every restart), a budget keeps its
    /// length and clock: a spent one of 0 s is spent again at once, and one of an hour is not.
    @Test func aBudgetRestartedWithItsOwnSecondsKeepsItsLength() {
        let spent = CollectBudget(seconds: 0)
        #expect(spent.isOverBudget)
        spent.restart(seconds: 0)
        #expect(!spent.coarse && spent.isOverBudget)
        let hour = CollectBudget(seconds: 3600)
        hour.restart(seconds: 3600)
        #expect(hour.coarse && !hour.isOverBudget && hour.deadline > CoarseClock.nanoseconds() + 3_000_000_000_000)
        hour.restart(seconds: 0)
        #expect(!hour.coarse && hour.isOverBudget)
    }

    /// A budget of seconds (the default is 30) reads the kernel's tick, restarted five times a file;
    /// a budget under a second keeps the precise clock, and a spent one is seen either way.
    @Test func aCollectBudgetOfSecondsReadsTheCoarseClock() {
        let budget = CollectBudget(seconds: 30)
        #expect(budget.coarse && !budget.isOverBudget)
        budget.restart(seconds: 0.01)
        #expect(!budget.coarse)
        budget.restart(seconds: 0)
        #expect(!budget.coarse && budget.isOverBudget)
        budget.restart(seconds: CoarseClock.smallestBudget)
        #expect(budget.coarse && !budget.isOverBudget)
    }
}
