import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI
@testable import NewsLintOnline

/// Issue 19, item 5: online mode must not be a way into the CI machine's network.
/// Only 127.0.0.1 is ever contacted (the test server); every other address here is refused before connecting.
@Suite struct OnlinePolicyTests {
    static func settings(allowPrivate: Bool) -> ImageSettings {
        var s = ImageSettings()
        s.online = true
        s.timeout = 3
        s.retries = 0
        s.allowPrivateHosts = allowPrivate
        return s
    }

    @Test func privateAndLocalAddressesAreRefusedByDefault() throws {
        let server = try LoopbackHTTPServer()
        let urls = [server.url("/ok.jpg"), "http://localhost:\(server.port)/ok.jpg", "http://[::1]:\(server.port)/ok.jpg",
                    "http://0x7f.1:\(server.port)/ok.jpg", "http://10.1.2.3/a.jpg", "http://169.254.169.254/latest/meta-data",
                    "http://192.168.0.1/a.jpg", "http://[fe80::1]/a.jpg", "http://224.0.0.1/a.jpg", "http://0.0.0.0:\(server.port)/ok.jpg",
                    "http://[::ffff:127.0.0.1]:\(server.port)/ok.jpg"]
        let results = OnlineChecker(settings: Self.settings(allowPrivate: false)).check(urls)
        for u in urls { #expect(results[u]?.ok == false && results[u]?.detail.contains("not allowed") == true, "\(u): \(String(describing: results[u]))") }
        #expect(server.log.withLock { $0.isEmpty })
    }

    @Test func addressClassification() {
        for a: [UInt8] in [[127, 0, 0, 1], [10, 0, 0, 1], [172, 16, 0, 1], [192, 168, 1, 1], [169, 254, 1, 1], [100, 64, 0, 1], [224, 0, 0, 1], [255, 255, 255, 255], [0, 0, 0, 0]] {
            #expect(HostPolicy.isRestricted(a), "\(a)")
        }
        for a: [UInt8] in [[8, 8, 8, 8], [1, 1, 1, 1], [172, 32, 0, 1], [100, 128, 0, 1]] { #expect(!HostPolicy.isRestricted(a), "\(a)") }
        var v6 = [UInt8](repeating: 0, count: 16)
        v6[15] = 1
        #expect(HostPolicy.isRestricted(v6)) // ::1
        var public6 = [UInt8](repeating: 0, count: 16)
        public6[0] = 0x24; public6[1] = 0x04; public6[15] = 1
        #expect(!HostPolicy.isRestricted(public6))
    }

    /// Every redirect hop is checked: a redirect to a non-http scheme is refused, not followed.
    @Test func redirectsAreRevalidatedHopByHop() throws {
        let server = try LoopbackHTTPServer()
        let results = OnlineChecker(settings: Self.settings(allowPrivate: true)).check([server.url("/redirect-file"), server.url("/redirect-gopher"), server.url("/redirect.jpg")])
        #expect(results[server.url("/redirect-file")] == URLCheckResult(ok: false, detail: "only http and https URLs are checked"))
        #expect(results[server.url("/redirect-gopher")] == URLCheckResult(ok: false, detail: "only http and https URLs are checked"))
        #expect(results[server.url("/redirect.jpg")]?.ok == true)
        #expect(server.requests("/ok.jpg") == 1, "the http redirect is followed by the checker itself")
    }

    /// A closed port and a silent one give the same message.
    @Test func transportErrorsShareOneMessage() throws {
        let closed = try LoopbackHTTPServer()
        let port = closed.port
        closed.stop()
        let server = try LoopbackHTTPServer()
        var s = Self.settings(allowPrivate: true)
        s.timeout = 0.5
        let results = OnlineChecker(settings: s).check(["http://127.0.0.1:\(port)/a.jpg", server.url("/slow.jpg")])
        #expect(results["http://127.0.0.1:\(port)/a.jpg"]?.detail == OnlineChecker.noAnswer)
        #expect(results[server.url("/slow.jpg")]?.detail == OnlineChecker.noAnswer)
    }

    /// A repository's `.lint.json` cannot allow private hosts; the command line can.
    @Test func repositoryConfigCannotAllowPrivateHosts() throws {
        let server = try LoopbackHTTPServer()
        let dir = TemporaryDirectory()
        dir.write(".lint.json", #"{"images": {"online": true, "allowPrivateHosts": true}}"#)
        dir.write("news.md", "---\ntitle: 校园新闻\n---\n![会场](\(server.url("/missing.jpg")))\n")
        let repo = CLIRun.run(["--select", "image-link-broken", "--format", "concise", "--no-cache", "news.md"], cwd: dir.path)
        #expect(repo.stdout.contains("not allowed"), "\(repo.stdout)")
        #expect(server.log.withLock { $0.isEmpty })
        let cli = CLIRun.run(["--select", "image-link-broken", "--format", "concise", "--no-cache", "--allow-private-hosts", "news.md"], cwd: dir.path)
        #expect(cli.stdout.contains("HTTP 404"), "\(cli.stdout)")
    }

    /// curl answers `*.localhost` with 127.0.0.1 without asking the system, so the address check
    /// (which found no address and let the request through) was passed: refused by name now.
    @Test func localhostNamesAreRefusedByName() throws {
        let server = try LoopbackHTTPServer()
        let urls = ["http://probe.localhost:\(server.port)/secret", "http://LOCALHOST.:\(server.port)/ok.jpg", "http://a.b.localhost:\(server.port)/ok.jpg"]
        let results = OnlineChecker(settings: Self.settings(allowPrivate: false)).check(urls)
        for u in urls { #expect(results[u]?.ok == false && results[u]?.detail.contains("not allowed") == true, "\(u): \(String(describing: results[u]))") }
        #expect(server.log.withLock { $0.isEmpty })
        #expect(HostPolicy.isLocalhostName("x.LocalHost..") && !HostPolicy.isLocalhostName("localhost.example.com") && !HostPolicy.isLocalhostName("notlocalhost"))
    }

    /// After a refused HEAD, the GET asks for the first byte only; a server that ignores that and
    /// streams without end is cut off (the request timeout alone never fired while bytes came).
    @Test func theGetFallbackReadsNoWholeBody() throws {
        let server = try LoopbackHTTPServer()
        let ranged = OnlineChecker(settings: Self.settings(allowPrivate: true)).check([server.url("/endless.jpg")])
        #expect(ranged[server.url("/endless.jpg")] == URLCheckResult(ok: true, detail: "HTTP 206"))
        var s = Self.settings(allowPrivate: true)
        s.timeout = 0.5
        let endless = OnlineChecker(settings: s).check([server.url("/endless-no-range.jpg")])
        #expect(endless[server.url("/endless-no-range.jpg")]?.ok == false)
    }

    /// `--image-cache post.md` replaced the article with `{"entries":{},"version":1}`; a config's
    /// `"cache": "../notes.txt"` replaced a file outside the project on a plain run.
    @Test func theImageCacheNeverReplacesAFileThatIsNotOne() throws {
        let server = try LoopbackHTTPServer()
        let dir = TemporaryDirectory()
        let post = "---\ntitle: 新闻\ndate: 2024-03-01\n---\n正文。\n\n![图](\(server.url("/ok.jpg")))\n"
        dir.write("post.md", post)
        let named = CLIRun.run(["--no-config", "--no-cache", "--online", "--allow-private-hosts", "--image-cache", "post.md", "post.md"], cwd: dir.path)
        #expect(named.status == 2 && named.stderr.contains("--image-cache file 'post.md' is one of the inputs"), "\(named.stderr)")
        #expect(try String(contentsOfFile: dir.path + "/post.md", encoding: .utf8) == post)
        // Not an input, but not a cache either: left alone, and the run goes on without a cache.
        dir.write("notes.txt", "my notes\n")
        var settings = Self.settings(allowPrivate: true)
        settings.cacheFile = dir.path + "/notes.txt"
        #expect(OnlineChecker(settings: settings).check([server.url("/ok.jpg")])[server.url("/ok.jpg")]?.ok == true)
        #expect(try String(contentsOfFile: dir.path + "/notes.txt", encoding: .utf8) == "my notes\n")
        #expect(DiskCache.load(dir.path + "/notes.txt") == nil)
        // A new file and an empty one become caches.
        dir.write("empty.json", "")
        settings.cacheFile = dir.path + "/empty.json"
        _ = OnlineChecker(settings: settings).check([server.url("/missing.jpg")])
        #expect(DiskCache.load(dir.path + "/empty.json")?.entries.isEmpty == false)
        // A config may keep its cache only inside its own directory.
        dir.write("site/.lint.json", #"{"images": {"online": true, "cache": "../notes.txt"}}"#)
        dir.write("site/post.md", post)
        let outside = CLIRun.run(["--no-cache", "--allow-private-hosts", "."], cwd: dir.path + "/site")
        #expect(outside.status == 2 && outside.stderr.contains("images.cache") && outside.stderr.contains("inside the config's directory"), "\(outside.stderr)")
        #expect(try String(contentsOfFile: dir.path + "/notes.txt", encoding: .utf8) == "my notes\n")
        dir.write("site/.lint.json", #"{"images": {"online": true, "cache": "cache/images.json"}}"#)
        let inside = CLIRun.run(["--no-cache", "--allow-private-hosts", "--select", "image-link-broken", "."], cwd: dir.path + "/site")
        #expect(inside.status == 0, "\(inside.stdout) \(inside.stderr)")
    }
}
