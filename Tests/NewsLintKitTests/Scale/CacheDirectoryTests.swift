import Foundation
import Testing
@testable import NewsLintEngine

/// A cache directory named by mistake (the project, the corpus) is never made a cache, and
/// `clean` removes only what newslint wrote.
@Suite struct CacheDirectoryTests {
    static let article = TestArticle.withTrailingSpace

    private func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    @Test func aProjectNamedAsTheCacheIsNotTaggedAndCleanKeepsIt() throws {
        let project = TemporaryDirectory()
        project.write("corpus/a.md", Self.article)
        project.write(".gitignore", "build/\n")
        project.write(".lint.json", "{ \"cache\": { \"directory\": \".\" } }\n")
        let run = CLIRun.run(["corpus"], cwd: project.path)
        #expect(run.stdout.contains("[trailing-whitespace]"), "still linted: \(run.stdout)")
        #expect(run.stderr.contains("not using '\(project.path)' as the cache directory"), "\(run.stderr)")
        #expect(!exists(project.path + "/CACHEDIR.TAG"))
        #expect(String(decoding: project.read(".gitignore"), as: UTF8.self) == "build/\n")
        _ = CLIRun.run(["clean"], cwd: project.path)
        #expect(exists(project.path + "/corpus/a.md"))
        // The same through --cache-dir and NEWSLINT_CACHE_DIR, naming the corpus.
        let viaFlag = CLIRun.run(["--cache-dir", "corpus", "corpus"], cwd: project.path)
        #expect(viaFlag.stderr.contains("as the cache directory"))
        // Checked before `clean`, which would remove a tag and `.gitignore` of newslint's anyway.
        #expect(!exists(project.path + "/corpus/CACHEDIR.TAG") && !exists(project.path + "/corpus/.gitignore"))
        _ = CLIRun.run(["clean"], cwd: project.path, env: ["NEWSLINT_CACHE_DIR": "corpus"])
        #expect(exists(project.path + "/corpus/a.md"))
        #expect(!exists(project.path + "/corpus/CACHEDIR.TAG"))
        // A plain run afterwards does not find the corpus ignored.
        #expect(CLIRun.run(["--no-cache", "corpus"], cwd: project.path).stdout.contains("[trailing-whitespace]"))
    }

    @Test func anEmptyDirectoryIsAdoptedAndCleanedWhole() throws {
        let project = TemporaryDirectory()
        project.write("a.md", Self.article)
        try FileManager.default.createDirectory(atPath: project.path + "/cache", withIntermediateDirectories: true)
        let run = CLIRun.run(["--cache-dir", "cache", "a.md"], cwd: project.path)
        #expect(!run.stderr.contains("as the cache directory"), "\(run.stderr)")
        #expect(exists(project.path + "/cache/CACHEDIR.TAG"))
        let clean = CLIRun.run(["clean", "--cache-dir", "cache"], cwd: project.path)
        #expect(clean.stdout == "removed \(project.path)/cache\n", "\(clean.stdout)")
        #expect(!exists(project.path + "/cache"))
    }

    /// A directory an earlier version tagged though it held the user's files: `clean` removes the
    /// cache files, the tag and newslint's `.gitignore`, and keeps the rest.
    @Test func cleanKeepsWhatNewslintDidNotWrite() throws {
        let project = TemporaryDirectory()
        project.write("a.md", Self.article)
        _ = CLIRun.run(["--cache-dir", "cache", "a.md"], cwd: project.path)
        let names = try FileManager.default.contentsOfDirectory(atPath: project.path + "/cache")
        #expect(names.contains { $0.hasSuffix(".cache") }, "\(names)")
        project.write("cache/notes/keep.md", "mine\n")
        project.write("cache/keep.txt", "mine\n")
        let clean = CLIRun.run(["clean", "--cache-dir", "cache"], cwd: project.path)
        #expect(clean.status == 0)
        #expect(clean.stderr.contains("kept '\(project.path)/cache': it also holds 2 entries newslint did not write ('keep.txt', 'notes')"), "\(clean.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: project.path + "/cache").sorted()
        #expect(left == ["keep.txt", "notes"])
        // A project's own `.gitignore` is not newslint's to remove; newslint's temporaries are its own.
        #expect(!CacheDirectory.isOwnEntry(".gitignore", in: project.path))
        project.write("x/.gitignore", "*\n")
        #expect(CacheDirectory.isOwnEntry(".gitignore", in: project.path + "/x"))
    }

    @Test func ownTemporariesAndEarlierLayoutsAreNewslints() {
        let dir = TemporaryDirectory()
        for name in [".CACHEDIR.TAG.newslint-a1B2c3", "..gitignore.newslint-Zz9xY0", ".0123456789abcdef.cache.newslint-q1w2e3",
                     "0123456789abcdef.verified", "0123456789abcdef.cache.fresh-12-34", "cache.key.tmp-5-6"] {
            #expect(CacheDirectory.isOwnEntry(name, in: dir.path), "\(name)")
        }
        for name in ["notes.md", ".notes.newslint-", "0123456789abcdeg.cache", ".newslint-abc", "corpus"] {
            #expect(!CacheDirectory.isOwnEntry(name, in: dir.path), "\(name)")
        }
    }

    /// A directory a repository keeps with `.gitkeep` (or its own `.gitignore`) is used, and keeps them.
    @Test func neutralEntriesDoNotStopTheCache() throws {
        let project = TemporaryDirectory()
        project.write("a.md", Self.article)
        project.write("build/cache/.gitkeep", "")
        project.write("build/cache/.gitignore", "*\n!.gitignore\n")
        let run = CLIRun.run(["--cache-dir", "build/cache", "a.md"], cwd: project.path)
        #expect(!run.stderr.contains("as the cache directory"), "\(run.stderr)")
        #expect(exists(project.path + "/build/cache/CACHEDIR.TAG"))
        #expect(String(decoding: project.read("build/cache/.gitignore"), as: UTF8.self) == "*\n!.gitignore\n")
        _ = CLIRun.run(["clean", "--cache-dir", "build/cache"], cwd: project.path)
        let left = try FileManager.default.contentsOfDirectory(atPath: project.path + "/build/cache").sorted()
        #expect(left == [".gitignore", ".gitkeep"])
    }

    /// An earlier version tagged a project as its cache: the tag alone does not make it one again.
    @Test func aTaggedDirectoryHoldingAProjectIsNotUsed() {
        let project = TemporaryDirectory()
        project.write("corpus/a.md", Self.article)
        project.write("CACHEDIR.TAG", String(decoding: CacheDirectory.tag, as: UTF8.self))
        project.write(".gitignore", "*\n")
        let run = CLIRun.run(["--cache-dir", ".", "corpus"], cwd: project.path)
        #expect(run.stderr.contains("an earlier newslint tagged it as a cache"), "\(run.stderr)")
        #expect(!(try! FileManager.default.contentsOfDirectory(atPath: project.path)).contains { $0.hasSuffix(".cache") })
        let clean = CLIRun.run(["clean", "--cache-dir", "."], cwd: project.path)
        #expect(clean.stderr.contains("kept"), "\(clean.stderr)")
        #expect(!exists(project.path + "/CACHEDIR.TAG") && !exists(project.path + "/.gitignore"))
        #expect(exists(project.path + "/corpus/a.md"))
    }
}
