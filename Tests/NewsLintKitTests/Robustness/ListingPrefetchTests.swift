import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Directories listed ahead on another thread (`ListingPrefetch`) must give the walk exactly what
/// listing them in place gives: the same files in the same order and the same problems.
@Suite struct ListingPrefetchTests {
    private func touch(_ path: String) {
        close(SystemPath.open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644))
    }

    @Test func walkFindsTheSameWithAndWithoutListingAhead() throws {
        let dir = TemporaryDirectory()
        // Nested directories (a subdirectory's subdirectories are entered before its later
        // siblings), skipped ones (hidden, excluded, node_modules) between entered ones, a loop.
        for sub in ["a", "a/x", "a/x/deep", "a/y", "b", "b/c", ".hidden", "node_modules", "skipped", "z"] {
            #expect(mkdir(dir.path + "/" + sub, 0o755) == 0)
        }
        for file in ["top.md", "a/1.md", "a/x/2.md", "a/x/deep/3.md", "a/y/4.html", "b/5.md", "b/c/6.md",
                     ".hidden/7.md", "node_modules/8.md", "skipped/9.md", "z/10.md", "z/11.txt"] {
            touch(dir.path + "/" + file)
        }
        #expect(symlink(dir.path + "/a", dir.path + "/b/c/loop") == 0)
        var config = Configuration(directory: dir.path)
        config.extensions = [".md", ".html"]
        config.exclude = [Glob("skipped/**")]
        var ahead = FileDiscovery(config: config, base: dir.path)
        ahead.listsAhead = true
        var inPlace = ahead
        inPlace.listsAhead = false
        for root in [".", dir.path, "a"] {
            let expected = inPlace.expand([root])
            let found = ahead.expand([root])
            #expect(Array(found.files) == Array(expected.files), "\(root)")
            #expect(found.problems.map(\.message) == expected.problems.map(\.message), "\(root)")
            #expect(found.problems.map(\.path) == expected.problems.map(\.path), "\(root)")
        }
        let all = Array(inPlace.expand(["."]).files)
        #expect(all.contains("a/x/deep/3.md") && all.contains("z/10.md") && all.contains("b/c/loop/1.md"))
        #expect(!all.contains { $0.hasPrefix("skipped/") || $0.hasPrefix("node_modules/") || $0.hasPrefix(".hidden/") })
    }

    /// Several workers list side by side (most of a listing is the kernel's): a walk of many
    /// sibling directories, one skipped after it was requested, with one to four workers, finds
    /// what a walk listing in place finds; and discovery (two workers) what it finds listing in place.
    @Test(arguments: [1, 2, 4])
    func severalWorkersFindWhatListingInPlaceFinds(workers: Int) throws {
        let dir = TemporaryDirectory()
        for k in 0..<40 {
            let sub = dir.path + "/" + String(format: "d%02d", k)
            #expect(mkdir(sub, 0o755) == 0)
            if k % 5 == 0 {
                #expect(mkdir(sub + "/inner", 0o755) == 0)
                touch(sub + "/inner/deep.md")
            }
            for f in 0..<(k % 7) { touch(sub + "/\(f).md") }
        }
        /// Files under `directory`, in walk order; every subdirectory requested, d13 then skipped.
        func walk(_ directory: String, prefetch: ListingPrefetch?, into found: inout [String]) throws {
            let listing = try #require(prefetch?.take(directory) ?? DirectoryReader.listing(directory))
            let subdirectories = listing.indices.filter { listing.kind($0) == .directory }.map { directory + "/" + listing.name($0) }
            prefetch?.request(subdirectories)
            for i in listing.indices {
                let path = directory + "/" + listing.name(i)
                if listing.kind(i) == .directory {
                    if !path.hasSuffix("/d13") { try walk(path, prefetch: prefetch, into: &found) }
                } else {
                    found.append(String(path.dropFirst(dir.path.count + 1)))
                }
            }
        }
        var expected: [String] = []
        try walk(dir.path, prefetch: nil, into: &expected)
        #expect(expected.count > 100 && expected.contains("d15/inner/deep.md") && !expected.contains { $0.hasPrefix("d13/") })
        let prefetch = ListingPrefetch(ahead: workers + 1, workers: workers)
        defer { prefetch.stop() }
        var found: [String] = []
        try walk(dir.path, prefetch: prefetch, into: &found)
        #expect(found == expected)

        var config = Configuration(directory: dir.path)
        config.extensions = [".md"]
        config.exclude = [Glob("d1*/**")]
        var inPlace = FileDiscovery(config: config, base: dir.path)
        inPlace.listsAhead = false
        var ahead = inPlace
        ahead.listsAhead = true
        #expect(Array(ahead.expand(["."]).files) == Array(inPlace.expand(["."]).files))
    }

    @Test func requestsBeforeATakenOneAreDroppedAndUnrequestedOnesListedInPlace() throws {
        let dir = TemporaryDirectory()
        for sub in ["p", "q", "r"] {
            #expect(mkdir(dir.path + "/" + sub, 0o755) == 0)
            touch(dir.path + "/" + sub + "/" + sub + ".md")
        }
        let prefetch = ListingPrefetch(ahead: 1, workers: 1)
        defer { prefetch.stop() }
        prefetch.request([dir.path + "/p", dir.path + "/q", dir.path + "/r"])
        #expect(prefetch.queuedPaths == [dir.path + "/p", dir.path + "/q", dir.path + "/r"])
        // The walk skipped p: taking q drops it.
        let q = try #require(prefetch.take(dir.path + "/q"))
        #expect(q.indices.map { q.name($0) } == ["q.md"])
        #expect(prefetch.queuedPaths == [dir.path + "/r"])
        let r = try #require(prefetch.take(dir.path + "/r"))
        #expect(r.indices.map { r.name($0) } == ["r.md"])
        // Dropped, then asked for: listed in place.
        let p = try #require(prefetch.take(dir.path + "/p"))
        #expect(p.indices.map { p.name($0) } == ["p.md"])
        // A directory that cannot be read, listed by the worker: nil and its errno, as a listing in place says.
        prefetch.request([dir.path + "/missing"])
        prefetch.waitForWorker()
        errno = 0
        #expect(prefetch.take(dir.path + "/missing") == nil)
        #expect(errno == ENOENT)
    }
}
