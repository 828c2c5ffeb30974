import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Two file names that are canonically equivalent but differ in bytes (NFC `é` and NFD `e` +
/// U+0301; a precomposed Hangul syllable and its jamo; a CJK compatibility ideograph and the
/// unified one it stands for) are two files: Swift's `String` `==`, `<` and hashing take them for
/// one, so every place that decides identity or order compares bytes.
@Suite struct CanonicalEquivalentPathTests {
    static let pairs: [(String, String)] = [
        ("caf\u{E9}.md", "cafe\u{301}.md"),
        ("\u{D55C}.md", "\u{1112}\u{1161}\u{11AB}.md"),   // 한
        ("\u{F900}.md", "\u{8C48}.md"),                     // 豈 (compatibility) and 豈
    ]

    static let text = "---\ntitle: 测试\nslug: same\n---\n\n这是一段重复的正文，用来检查路径。\n第二行 \n"

    /// Creates the files by their exact bytes (never through a normalizing API).
    static func corpus(_ pair: (String, String)) throws -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        for name in [pair.0, pair.1] {
            let fd = SystemPath.open(dir.path + "/" + name, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            try #require(fd >= 0)
            let bytes = Array(Self.text.utf8)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        let names = try #require(DirectoryReader.entries(dir.path)).map(\.name)
        try #require(names.count == 2, "the file system keeps both names")
        return dir
    }

    @Test func outputOrderIsTotalOnCanonicallyEquivalentPaths() {
        for (a, b) in Self.pairs {
            #expect(a == b, "Swift compares them canonically")
            #expect(!a.hasSameBytes(as: b) && a.hasSameBytes(as: String(a.utf8)))
            #expect(PathKey(a) != PathKey(b) && Set([PathKey(a), PathKey(b), PathKey(a)]).count == 2)
            let x = Diagnostic(rule: "r", severity: .warning, path: a, line: 2, column: 1, message: "m")
            let y = Diagnostic(rule: "r", severity: .warning, path: b, line: 1, column: 1, message: "m")
            // Exactly one comes first, by path bytes (not by line, as if the paths were one).
            #expect(Diagnostic.outputOrder(x, y) != Diagnostic.outputOrder(y, x))
            #expect(Diagnostic.outputOrder(x, y) == a.utf8.lexicographicallyPrecedes(b.utf8))
            #expect(([a: 1] as [String: Int])[exactPath: b] == nil)
            // --fix writes only below the linted roots: the other form's directory is outside them.
            #expect(PathResolver.isWithin("/x/" + a + "/f.md", roots: ["/x/" + a]))
            #expect(!PathResolver.isWithin("/x/" + b + "/f.md", roots: ["/x/" + a]) && !PathResolver.isWithin("/x/" + b, roots: ["/x/" + a]))
        }
    }

    /// Both files are reported, each finding under its own name and naming the other file, in
    /// byte order of the names, the same for --jobs 1 and 2 and in every output format.
    @Test func bothFilesAreReportedInAStableOrder() throws {
        for pair in Self.pairs {
            let dir = try Self.corpus(pair)
            let (first, second) = pair.0.utf8.lexicographicallyPrecedes(pair.1.utf8) ? pair : (pair.1, pair.0)
            for format in ["json", "concise", "text", "junit", "sarif"] {
                let runs = [1, 2].map { jobs in
                    CLIRun.run(["--no-config", "--no-cache", "--jobs", "\(jobs)", "--format", format, "."], cwd: dir.path)
                }
                #expect(runs[0].stdout == runs[1].stdout, "\(format): --jobs 1 and 2 agree")
                #expect(runs[0].status == 1)
                if format == "junit" { #expect(runs[0].stdout.components(separatedBy: "<testsuite name=").count == 3, "\(runs[0].stdout)") }
            }
            let concise = CLIRun.run(["--no-config", "--no-cache", "--format", "concise", "."], cwd: dir.path).stdout
            let lines = concise.split(separator: "\n").map(String.init)
            let slug = lines.filter { $0.contains("[slug-duplicate]") }
            #expect(slug == ["\(first):3:1: error: slug 'same' (from slug) is also used by \(second) [slug-duplicate]",
                             "\(second):3:1: error: slug 'same' (from slug) is also used by \(first) [slug-duplicate]"],
                    "\(slug.map { Array($0.utf8) })")
            // Every line of the first file comes before every line of the second (bytes, not canonical order).
            let owners = lines.map { line in line.utf8.starts(with: first.utf8) ? 0 : (line.utf8.starts(with: second.utf8) ? 1 : 2) }
            #expect(owners == owners.sorted() && owners.contains(0) && owners.contains(1) && !owners.contains(2), "\(lines)")
            let separateByteWise = slug.allSatisfy { line in
                let path = line.prefix { $0 != ":" }
                return String(path).hasSameBytes(as: first) || String(path).hasSameBytes(as: second)
            }
            #expect(separateByteWise && !String(slug[0].prefix { $0 != ":" }).hasSameBytes(as: String(slug[1].prefix { $0 != ":" })))
        }
    }

    /// A baseline written from the two files hides exactly their findings; --fix fixes both.
    @Test func baselineAndFixKeepTheFilesApart() throws {
        let dir = try Self.corpus(Self.pairs[0])
        let written = CLIRun.run(["--no-config", "--no-cache", "--write-baseline", "b.json", "."], cwd: dir.path)
        #expect(written.status == 0, "\(written.stderr)")
        let baseline = try Baseline.parse(dir.read("b.json"), file: "b.json")
        #expect(Set(baseline.entries.map { PathKey($0.path) }) == Set([PathKey(Self.pairs[0].0), PathKey(Self.pairs[0].1)]))
        let compared = CLIRun.run(["--no-config", "--no-cache", "--baseline", "b.json", "--format", "concise", "."], cwd: dir.path)
        #expect(compared.stdout.isEmpty && compared.status == 0, "\(compared.stdout)\(compared.stderr)")
        let fixed = CLIRun.run(["--no-config", "--no-cache", "--fix", "--select", "trailing-whitespace", "."], cwd: dir.path)
        #expect(fixed.stderr.contains("in 2 files"), "\(fixed.stderr)")
        for name in [Self.pairs[0].0, Self.pairs[0].1] {
            #expect(SystemPath.contents(dir.path + "/" + name).map { String(decoding: $0, as: UTF8.self) } == Self.text.replacingOccurrences(of: "第二行 \n", with: "第二行\n"))
        }
    }

    /// Stdin named with one form of a name is not the disk file with the other form.
    @Test func stdinNamedWithTheOtherFormIsAnotherFile() throws {
        let dir = TemporaryDirectory()
        let fd = SystemPath.open(dir.path + "/" + Self.pairs[0].1, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        _ = Array("甲 \n".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        let r = CLIRun.run(["--no-config", "--no-cache", "--format", "text", "--select", "trailing-whitespace", "--stdin-filename", Self.pairs[0].0, "-", "."],
                           cwd: dir.path, stdin: "乙\n丙 \n")
        #expect(r.stdout.contains(" 1 | 甲 ") && r.stdout.contains(" 2 | 丙 "), "\(r.stdout)")
        #expect(r.stdout.contains("in 2 of 2 files"), "\(r.stdout)")
    }

    /// The health report counts two files, scores each, and groups them as duplicates of each other.
    @Test func reportCountsBothFiles() throws {
        for pair in Self.pairs {
            let dir = try Self.corpus(pair)
            let r = CLIRun.run(["report", "--no-config", "--no-cache", "--format", "json", "."], cwd: dir.path)
            let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let totals = try #require(root["totals"] as? [String: Any])
            #expect(totals["files"] as? Int == 2 && totals["filesWithFindings"] as? Int == 2, "\(totals)")
            let files = try #require(root["files"] as? [[String: Any]]).compactMap { $0["path"] as? String }
            #expect(files.count == 2 && !files[0].hasSameBytes(as: files[1]), "\(files)")
            let profile = try #require(root["profile"] as? [String: Any])
            let slugGroups = try #require(profile["duplicateSlugGroups"] as? [[String]])
            #expect(slugGroups.count == 1 && slugGroups.first?.count == 2, "\(slugGroups)")
        }
    }

    /// A nested `.lint.json` applies to its own directory, not to the one whose name is the other form.
    @Test func nestedConfigBelongsToItsOwnDirectory() throws {
        let dir = TemporaryDirectory()
        let (configured, plain) = Self.pairs[0]
        for name in [configured, plain] {
            try #require(SystemPath.withCString(dir.path + "/" + name) { mkdir($0, 0o755) } == 0)
            let fd = SystemPath.open(dir.path + "/" + name + "/a.md", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            try #require(fd >= 0)
            _ = Array("---\ntitle: t\ndate: 2020-01-01\n---\n正文。 \n".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        let fd = SystemPath.open(dir.path + "/" + configured + "/.lint.json", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        _ = Array("{\"rules\": {\"trailing-whitespace\": \"off\"}}".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        // No --select: it would turn the rule back on over the nested config.
        let r = CLIRun.run(["--no-cache", "--format", "concise", "."], cwd: dir.path)
        let lines = r.stdout.split(separator: "\n").map(String.init).filter { $0.hasSuffix("[trailing-whitespace]") }
        #expect(lines.count == 1 && lines[0].utf8.starts(with: (plain + "/a.md:5:").utf8), "\(lines.map { Array($0.utf8.prefix(12)) })")
    }

    /// The language server's workspace cross-file pass keeps the two files' findings apart, and an
    /// open document named in one form does not stand in for the disk file named in the other.
    @Test func serverWorkspaceKeepsTheFilesApart() throws {
        let dir = try Self.corpus(Self.pairs[0])
        let (first, second) = Self.pairs[0]
        let open = [PathResolver.standardized(dir.path + "/" + first): Array("---\ntitle: 别的\nslug: other\n---\n\n另一篇文章的正文内容。\n".utf8)]
        let alone = try WorkspaceCrossFile.run(root: dir.path, openDocuments: [:])
        #expect(alone.count == 2 && alone.values.allSatisfy { $0.contains { $0.rule == "slug-duplicate" } }, "\(alone)")
        // Edited in the editor, the first file no longer shares the slug: the second one has no duplicate left.
        let edited = try WorkspaceCrossFile.run(root: dir.path, openDocuments: open)
        #expect(edited[PathKey(PathResolver.standardized(dir.path + "/" + second))]?.contains { $0.rule == "slug-duplicate" } != true, "\(edited)")
    }

    /// A directory named on the command line that has no files is reported as empty even when the
    /// directory named in the other form has files (lint and report alike).
    @Test func emptyDirectoryIsNotFilledByItsTwin() throws {
        let dir = TemporaryDirectory()
        let (full, empty) = Self.pairs[0]
        for name in [full, empty] { try #require(SystemPath.withCString(dir.path + "/" + name) { mkdir($0, 0o755) } == 0) }
        let fd = SystemPath.open(dir.path + "/" + full + "/a.md", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        _ = Array("---\ntitle: t\ndate: 2020-01-01\n---\n正文。\n".utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        for command in [[], ["report"]] {
            let r = CLIRun.run(command + ["--no-config", "--no-cache", full, empty], cwd: dir.path)
            #expect(r.status == 2 && r.stderr.contains("yields no files"), "\(command): \(r.stderr)")
        }
    }
}
