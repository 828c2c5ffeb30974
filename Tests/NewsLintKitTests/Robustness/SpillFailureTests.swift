import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// What a run spills to the temporary directory can fail both ways: the disk is full while
/// spilling (everything then stays in memory, nothing is lost) or the file cannot be read back
/// (truncated, a read error): a clear error naming the file and what to do, never a crash.
@Suite struct SpillFailureTests {
    static func record(_ i: Int) -> [UInt8] { (0..<(i % 29 + 1)).map { UInt8(truncatingIfNeeded: $0 &+ i) } }

    /// A spill file the test can damage: a real file in `dir`, not unlinked.
    static func file(in dir: TemporaryDirectory) -> () -> (fd: Int32, path: String)? {
        let path = dir.path + "/spill"
        return { (open(path, O_RDWR | O_CREAT | O_TRUNC, 0o600), path) }
    }

    @Test func diskFullWhileSpillingKeepsEveryRecordInMemory() throws {
        try #require(FileManager.default.fileExists(atPath: "/dev/full"))
        // Every write to /dev/full fails with ENOSPC, as on a full disk.
        let log = SpillLog(budget: 16) { (open("/dev/full", O_RDWR), "/dev/full") }
        let ranges = (0..<300).map { log.append(Self.record($0)) }
        for i in [299, 0, 150] + Array(0..<300) {
            #expect((try? log.withBytes(ranges[i]) { Array($0) }) == Self.record(i), "record \(i)")
        }
        #expect(log.readFailure == nil)
    }

    @Test func truncatedSpillFileIsAReadFailureNotACrash() throws {
        let dir = TemporaryDirectory()
        let log = SpillLog(budget: 16, createFile: Self.file(in: dir))
        let ranges = (0..<300).map { log.append(Self.record($0)) }
        #expect(log.usedFile)
        #expect(truncate(dir.path + "/spill", 0) == 0)
        #expect((try? log.withBytes(ranges[0]) { Array($0) }) == nil)
        #expect(log.readFailure?.contains("truncated") == true)
        // What never left memory still reads back.
        #expect((try? log.withBytes(ranges[299]) { Array($0) }) == Self.record(299))
        // Emptied, the log is a new one: no file, no failure of the old file's; it spills again.
        log.removeAll()
        #expect(log.readFailure == nil && log.filePath == nil && !log.usedFile)
        let again = (0..<300).map { log.append(Self.record($0 + 1)) }
        #expect(log.usedFile && log.filePath == dir.path + "/spill")
        for i in [0, 299, 17] { #expect((try? log.withBytes(again[i]) { Array($0) }) == Self.record(i + 1), "record \(i)") }
        #expect(log.readFailure == nil)
    }

    final class Collected: DiagnosticReceiver {
        var diagnostics: [Diagnostic] = []
        func add(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }
    }

    /// The reduce of a rule whose spilled facts were lost runs to its end on stand-in facts,
    /// reports nothing (neither returned nor streamed) and says what happened and what to do.
    @Test func reduceOverLostFactsReportsAClearFailure() throws {
        let documents = FactColumnTests.corpus()
        let rule = try SlugDuplicateRule(options: RuleOptions())
        let facts = documents.compactMap { d in rule.collect(d, environment: LintEnvironment()).map { (path: d.path, fact: $0) } }
        try #require(facts.count > 2)
        for streamed in [false, true] {
            let dir = TemporaryDirectory()
            let column = TypedFactColumn(rule: rule, log: SpillLog(budget: 0, createFile: Self.file(in: dir)))
            for (i, f) in facts.enumerated() { column.append(file: i, fact: f.fact) }
            #expect(column.usedFile)
            #expect(truncate(dir.path + "/spill", 0) == 0)
            let receiver = Collected()
            let found = column.finish(paths: FactPaths(PathList(facts.map(\.path))), id: SlugDuplicateRule.id, severity: .error,
                                      environment: LintEnvironment(), into: streamed ? receiver : nil)
            #expect(found.isEmpty && receiver.diagnostics.isEmpty)
            let message = try #require(column.readFailure)
            #expect(message.contains("slug-duplicate") && message.contains(dir.path + "/spill"), "\(message)")
            #expect(message.contains("TMPDIR") && message.contains("free space"), "\(message)")
        }
        // Undamaged, the same column finds the duplicates.
        let column = TypedFactColumn(rule: rule, memoryBudget: 0)
        for (i, f) in facts.enumerated() { column.append(file: i, fact: f.fact) }
        #expect(!column.finish(paths: FactPaths(PathList(facts.map(\.path))), id: SlugDuplicateRule.id, severity: .error,
                               environment: LintEnvironment(), into: nil).isEmpty)
        #expect(column.readFailure == nil)
    }
}
