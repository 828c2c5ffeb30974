import Foundation

/// Programs and files outside the Swift toolchain that some tests use (dev-time validators and
/// consumers). On a fresh clone they may be missing: those tests are skipped, naming what they
/// need. CI installs everything and sets `NEWSLINT_REQUIRE_EXTERNAL=1`, under which the tests
/// always run, so a missing tool fails them instead of skipping.
enum ExternalTools {
    /// Set by `.ci/run`: external-consumer tests must run (and pass), never skip.
    static let required = ProcessInfo.processInfo.environment["NEWSLINT_REQUIRE_EXTERNAL"] == "1"

    /// Whether a test needing `available` should run.
    static func enabled(_ available: @autoclosure () -> Bool) -> Bool { required || available() }

    /// An executable named `name` on PATH.
    static func onPath(_ name: String) -> Bool { executable(name) != nil }

    static func executable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = String(dir) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// `python3` on PATH that can import `module`.
    static func pythonModule(_ module: String) -> Bool {
        guard onPath("python3") else { return false }
        return (try? ExternalRun.run("python3", ["-c", "import \(module)"]).status) == 0
    }

    /// `sarif` from sarif-tools.
    static let sarifTools: Bool = onPath("sarif")
    /// `python3` with the jsonschema package.
    static let pythonJSONSchema: Bool = pythonModule("jsonschema")
    /// The real `pre-commit` and `git`.
    static let preCommit: Bool = onPath("pre-commit") && onPath("git")
    /// `../shared` beside the package (CI has it; a clone does not).
    static var shared: URL { PackagePaths.root.appendingPathComponent("../shared").standardizedFileURL }
    static let hasShared: Bool = FileManager.default.fileExists(atPath: PackagePaths.root.appendingPathComponent("../shared/schemas/sarif-schema-2.1.0.json").standardizedFileURL.path)

    static let requireNote = "(CI sets NEWSLINT_REQUIRE_EXTERNAL=1 to run it)"
}
