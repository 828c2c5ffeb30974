import Foundation
import Testing
@testable import NewsLintKit

/// `--fix` killed at random points leaves every file wholly old or wholly new.
@Suite struct KillTests {
    /// The `newslint` executable built beside the test bundle.
    static var executable: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("newslint")
    }

    @Test func killedFixLeavesEachFileOldOrNew() throws {
        let exe = Self.executable
        #expect(FileManager.default.isExecutableFile(atPath: exe.path), "build the newslint product first (swift build): \(exe.path)")
        guard FileManager.default.isExecutableFile(atPath: exe.path) else { return }
        let docs = (0..<400).map { DefectCorpus.document(seed: 90_000 + UInt64($0)) }
        // Expected fixed versions, computed in-process with the same settings as the child.
        var settings = LintSettings()
        settings.fix = .preview(.safe)
        let linter = try Linter(catalog: .builtin, config: Configuration(directory: "/nonexistent-kill-root"), settings: settings)
        let expected = linter.lint(docs.map { .text(path: $0.path, bytes: $0.bytes) }).files.map { $0.fix?.fixed ?? [] }
        var rng = SeededRandom(seed: 4242)
        var interrupted = 0
        var partial = 0
        for round in 0..<8 {
            let tmp = TemporaryDirectory()
            for d in docs { tmp.write("corpus/" + d.path, bytes: d.bytes) }
            let process = Process()
            process.executableURL = exe
            process.arguments = ["--fix", "--no-config", "--jobs", "2", "--quiet", "corpus"]
            process.currentDirectoryURL = tmp.url
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let delay = 5_000 + Int(rng.next() % 150_000) * (round + 1) / 4
            usleep(useconds_t(delay))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { interrupted += 1 }
            var changed = 0
            for (i, d) in docs.enumerated() {
                let now = tmp.read("corpus/" + d.path)
                let ok = now == d.bytes || now == expected[i]
                #expect(ok, "round \(round): \(d.path) is neither the original nor the fixed version")
                if now != d.bytes { changed += 1 }
            }
            let fixable = docs.indices.filter { docs[$0].bytes != expected[$0] }.count
            if changed > 0 && changed < fixable { partial += 1 }
        }
        #expect(interrupted > 0, "no run was killed before finishing; the test proved nothing")
        print("kill test: \(interrupted) of 8 runs interrupted, \(partial) left a partly fixed corpus")
    }
}
