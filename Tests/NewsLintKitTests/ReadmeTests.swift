import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

@Suite struct ReadmeTests {
    @Test func readmeRulesTableIsCurrent() throws {
        let readme = try String(contentsOf: PackagePaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try #require(readme.range(of: "<!-- rules:begin -->\n"))
        let end = try #require(readme.range(of: "<!-- rules:end -->"))
        let table = String(readme[begin.upperBound..<end.lowerBound])
        #expect(table == RulesCommand.markdownTable(Catalog.builtin), "README rules table is stale: run Scripts/update-readme")
    }

    @Test func readmeShowsTheTwoCommands() throws {
        let readme = try String(contentsOf: PackagePaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("swift run newslint"))
        #expect(readme.contains("swift test"))
        let ci = try String(contentsOf: PackagePaths.root.appendingPathComponent(".ci/run"), encoding: .utf8)
        #expect(ci.contains("swift test"))
    }
}
