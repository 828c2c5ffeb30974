import Foundation
import Testing
@testable import NewsLintCore

/// `PathComponents` gives `NSString`'s answers, and does not trap where Foundation does.
@Suite struct PathComponentsTests {
    /// Every string of up to `length` characters over `alphabet`.
    private static func strings(over alphabet: [String], upTo length: Int) -> [String] {
        var all: [String] = [""], layer: [String] = [""]
        for _ in 0..<length {
            layer = layer.flatMap { prefix in alphabet.map { prefix + $0 } }
            all += layer
        }
        return all
    }

    private static func answers(_ path: String) -> [String] {
        [PathComponents.lastComponent(path), PathComponents.deletingLastComponent(path),
         PathComponents.pathExtension(path), PathComponents.deletingPathExtension(path)]
    }

    /// Foundation's answers, except where it traps on Linux: `deletingLastPathComponent` of a
    /// path that is one character other than `/` once its slashes are fixed (`a`, `a/`) fails a
    /// precondition; Apple's Foundation answers the empty path, as `PathComponents` does.
    private static func foundationAnswers(_ path: String) -> [String] {
        let s = path as NSString
        let fixed = String(decoding: PathComponents.fixingSlashes(path), as: UTF8.self)
        let deleting = fixed.count == 1 && fixed != "/" ? "" : s.deletingLastPathComponent
        return [s.lastPathComponent, deleting, s.pathExtension, s.deletingPathExtension]
    }

    /// `path` with each run of `/` made one.
    private static func collapsed(_ path: String) -> String {
        var out = ""
        for c in path where !(c == "/" && out.last == "/") { out.append(c) }
        return out
    }

    /// A run of slashes counts as one; on paths without runs, Foundation is the reference (with
    /// runs it is not: on Linux it traps or answers wrongly for two runs, `a///b//` or `///a//`).
    @Test func asciiPathsGetFoundationsAnswers() {
        var differing: [String] = []
        for path in Self.strings(over: ["a", ".", "/", "b"], upTo: 7) {
            let single = Self.collapsed(path)
            if Self.answers(path) != Self.answers(single) || Self.answers(single) != Self.foundationAnswers(single) {
                differing.append(path)
            }
        }
        #expect(differing.isEmpty, "\(differing.prefix(10))")
    }

    /// Non-ASCII paths are asked of Foundation with each character swapped for an ASCII letter
    /// (with a `//`, Foundation traps on them) and the answers swapped back: `/` and `.` are
    /// where both cut.
    @Test func nonASCIIPathsGetTheAnswersOfTheirASCIIShape() {
        let wide: [Character: Character] = ["é": "Q", "中": "W", "😀": "Z"]
        let back = Dictionary(uniqueKeysWithValues: wide.map { ($1, $0) })
        func swap(_ s: String, _ table: [Character: Character]) -> String { String(s.map { table[$0] ?? $0 }) }
        var differing: [String] = []
        for path in Self.strings(over: ["é", "中", ".", "/", "😀"], upTo: 5) {
            let expected = Self.foundationAnswers(Self.collapsed(swap(path, wide))).map { swap($0, back) }
            if Self.answers(path) != expected { differing.append(path) }
        }
        #expect(differing.isEmpty, "\(differing.prefix(10))")
    }

    @Test func examples() {
        #expect(PathComponents.pathExtension("éé//é.MD") == "MD")
        #expect(PathComponents.lastComponent("éé//é/") == "é")
        #expect(PathComponents.deletingLastComponent("éé//é") == "éé")
        #expect(PathComponents.deletingPathExtension("a/中文.md") == "a/中文")
        #expect(PathComponents.pathExtension("a/..") == "")
        #expect(PathComponents.lastComponent("/") == "/")
        #expect(PathComponents.deletingLastComponent("/a") == "/")
        #expect(PathComponents.deletingLastComponent("a/") == "")
        // A combining mark after `/` or `.` (one character with it to Foundation): the file
        // system's cut, at the byte.
        #expect(PathComponents.lastComponent("d/\u{301}x.md") == "\u{301}x.md")
        #expect(PathComponents.deletingLastComponent("d/\u{301}x.md") == "d")
        #expect(PathComponents.pathExtension("a.\u{301}") == "\u{301}")
    }
}

/// Paths given with `//` and non-ASCII names, where Foundation's path functions trap, are linted,
/// fixed and written to like any other.
@Suite struct DoubleSlashPathTests {
    @Test func lintFixAndOutputTakeNonASCIIPathsWithDoubleSlashes() throws {
        let dir = TemporaryDirectory()
        dir.write("éé/é", "---\ntitle: 测试\n---\n\n这是一段足够长的正文，用来检查路径里的双斜线。 \n")
        dir.write("éé/文.md", "---\ntitle: 测试\n---\n\n这是一段足够长的正文，用来检查路径里的双斜线。\n")
        let lint = CLIRun.run(["--no-cache", "éé//é", "éé//文.md", "--select", "trailing-whitespace,html-remnant"], cwd: dir.path)
        #expect(lint.status == 0, "\(lint.stderr)")
        #expect(lint.stdout.contains("éé//é:5:") && lint.stdout.contains("trailing-whitespace"), "\(lint.stdout)")
        let fix = CLIRun.run(["--no-cache", "--fix", "éé//é", "--select", "trailing-whitespace"], cwd: dir.path)
        #expect(fix.status == 0, "\(fix.stdout)\(fix.stderr)")
        #expect(!String(decoding: dir.read("éé/é"), as: UTF8.self).contains("。 \n"))
        dir.write("报告/说明", "")
        let written = CLIRun.run(["--no-cache", "éé//文.md", "--output", "报告//结果.txt"], cwd: dir.path)
        #expect(written.status == 1, "\(written.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.path + "/报告/结果.txt"))
    }
}

/// `PathResolver.droppingDotComponents`: its fast path (a path with nothing to drop returned
/// as it is) gives what splitting every path would, on every short path over `a`, `.` and `/`.
@Suite struct DroppingDotComponentsTests {
    private static func split(_ path: String) -> String {
        let joined = path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    @Test func fastPathAnswersAsTheSplit() {
        var paths = [""]
        for _ in 0..<7 { paths = paths + paths.flatMap { p in ["a", ".", "/"].map { p + $0 } } }
        for path in Set(paths) where !path.isEmpty {
            #expect(PathResolver.droppingDotComponents(path) == Self.split(path), "\(path)")
        }
        #expect(PathResolver.droppingDotComponents("/w/./corpus//a.md") == "/w/corpus/a.md")
        #expect(PathResolver.droppingDotComponents("/w/link/../a.md") == "/w/link/../a.md")
        #expect(PathResolver.droppingDotComponents("/w/.hidden/a.md") == "/w/.hidden/a.md")
    }
}

/// `PathResolver.isBelow` answers as the `root + "/"` prefixes it replaced (`root` as it is
/// when it already ends in `/`), on every pair of short paths over `a`, `b` and `/`.
@Suite struct IsBelowTests {
    @Test func answersAsTheBuiltPrefix() {
        var paths = [""]
        for _ in 0..<4 { paths = paths + paths.flatMap { p in ["a", "b", "/"].map { p + $0 } } }
        let all = Set(paths).sorted()
        for root in all where !root.isEmpty {
            let prefix = root.hasSuffix("/") ? root : root + "/"
            for path in all {
                #expect(PathResolver.isBelow(path, root) == path.utf8.starts(with: prefix.utf8), "\(path) below \(root)")
            }
        }
        #expect(PathResolver.isBelow("/w/corpus/a.md", "/w/corpus") && !PathResolver.isBelow("/w/corpus2/a.md", "/w/corpus"))
        #expect(!PathResolver.isBelow("/w/corpus", "/w/corpus") && PathResolver.isBelow("/a.md", "/"))
    }
}
