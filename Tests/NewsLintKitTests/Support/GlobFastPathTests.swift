import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// A bare `name*` glob is matched on bytes; it must answer what segment matching answers.
@Suite struct GlobFastPathTests {
    @Test func bareLiteralPrefixAgreesWithSegmentMatching() {
        let patterns = ["_index.*", "404.*", "*", ".*", "新聞*", "a*", "ab*", "./x*", "x*/"]
        let paths = ["_index.md", "content/_index.md", "content/_index", "./_index.html", ".", "./.", "a/./b", "./a", "404.html",
                     "posts/404", "x/404.md/y", "新聞稿.md", "新/聞.md", "ab", "a", "b/ab/c", ".hidden", "./.hidden", "", "//a//",
                     "x", "xy/z", "dir/x"]
        var differing: [String] = []
        for p in patterns {
            let glob = Glob(p)
            for path in paths where glob.matches(path) != glob.matchesBySegments(path) { differing.append("\(p) \(path)") }
        }
        #expect(differing.isEmpty)
    }
}
