import Foundation
import Testing

/// A `.lint.json` that is a symbolic link that cannot be followed is an error, not "no config".
@Suite struct ConfigLinkTests {
    static let article = TestArticle.clean

    @Test(arguments: ["missing.json", ".lint.json"])
    func aConfigLinkThatCannotBeFollowedIsAnError(target: String) throws {
        let dir = TemporaryDirectory()
        dir.write("a.md", Self.article)
        // "missing.json": dangling; ".lint.json": a link to itself (a loop).
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/.lint.json", withDestinationPath: target)
        let run = CLIRun.run(["--no-cache", "a.md"], cwd: dir.path)
        #expect(run.status == 2, "\(run.stdout)")
        #expect(run.stderr.contains(".lint.json"), "\(run.stderr)")
        #expect(run.stderr.contains("symbolic link to '\(target)'"), "\(run.stderr)")
    }

    @Test func initDoesNotWriteThroughADanglingLink() throws {
        let dir = TemporaryDirectory()
        let outside = TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/.lint.json", withDestinationPath: outside.path + "/made.json")
        let run = CLIRun.run(["init"], cwd: dir.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("is a symbolic link to"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: outside.path + "/made.json"))
    }
}
