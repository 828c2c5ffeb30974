import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI
@testable import NewsLintOnline

/// Online mode against a loopback server started by each test; no other address is contacted.
@Suite struct ImagesOnlineTests {
    static func settings(timeout: Double = 4, retries: Int = 0) -> ImageSettings {
        var s = ImageSettings()
        s.online = true
        s.timeout = timeout
        s.retries = retries
        s.concurrency = 8
        s.perHost = 4
        s.allowPrivateHosts = true // the test server is on 127.0.0.1
        return s
    }

    @Test func statusesRedirectsLoopsAndTimeouts() throws {
        let server = try LoopbackHTTPServer()
        let checker = OnlineChecker(settings: Self.settings(timeout: 1.5))
        let paths = ["/ok.jpg", "/missing.jpg", "/error.jpg", "/redirect.jpg", "/loop-a", "/slow.jpg", "/no-head.jpg"]
        let results = checker.check(paths.map(server.url))
        func r(_ p: String) -> URLCheckResult? { results[server.url(p)] }
        #expect(r("/ok.jpg") == URLCheckResult(ok: true, detail: "HTTP 200"))
        #expect(r("/missing.jpg") == URLCheckResult(ok: false, detail: "HTTP 404"))
        #expect(r("/error.jpg") == URLCheckResult(ok: false, detail: "HTTP 500"))
        #expect(r("/redirect.jpg")?.ok == true)
        #expect(r("/loop-a") == URLCheckResult(ok: false, detail: "redirect loop"))
        #expect(r("/slow.jpg") == URLCheckResult(ok: false, detail: "no HTTP answer"))
        #expect(r("/no-head.jpg")?.ok == true, "HEAD refused, GET answers 200")
        #expect(server.log.withLock { $0 }.contains("GET /no-head.jpg"))
        #expect(server.requests("/ok.jpg") == 2, "once directly, once after the redirect")
    }

    @Test func eachURLIsCheckedOncePerRun() throws {
        let server = try LoopbackHTTPServer()
        let checker = OnlineChecker(settings: Self.settings())
        let urls = [server.url("/missing.jpg"), server.url("/missing.jpg"), server.url("/ok.jpg")]
        _ = checker.check(urls)
        _ = checker.check(urls) // memoised for the rest of the run
        #expect(server.requests("/missing.jpg") == 1)
        #expect(server.requests("/ok.jpg") == 1)
    }

    @Test func retriesTransientFailures() throws {
        let server = try LoopbackHTTPServer()
        let once = OnlineChecker(settings: Self.settings(retries: 1)).check([server.url("/flaky.jpg")])
        #expect(once[server.url("/flaky.jpg")]?.ok == true)
        #expect(server.requests("/flaky.jpg") == 2)

        let other = try LoopbackHTTPServer()
        let none = OnlineChecker(settings: Self.settings(retries: 0)).check([other.url("/flaky.jpg")])
        #expect(none[other.url("/flaky.jpg")] == URLCheckResult(ok: false, detail: "HTTP 503"))
    }

    /// HTTP 429 was retried after 50 ms and then reported as a broken image: rate limiting says
    /// nothing about the image. A `Retry-After` within the timeout is honoured once; otherwise the
    /// URL is not checked (ok, with a note), never broken.
    @Test func rateLimitedAnswersHonourRetryAfterOrAreNotChecked() throws {
        let server = try LoopbackHTTPServer()
        let results = OnlineChecker(settings: Self.settings(timeout: 5, retries: 1)).check(
            ["/rate-limited.jpg", "/rate-limited-long.jpg", "/rate-limited-once.jpg"].map(server.url))
        let notChecked = URLCheckResult(ok: true, detail: "not checked (rate limited: HTTP 429)")
        #expect(results[server.url("/rate-limited.jpg")] == notChecked)
        #expect(results[server.url("/rate-limited-long.jpg")] == notChecked, "Retry-After beyond the timeout is not waited for")
        #expect(server.requests("/rate-limited-long.jpg") == 1)
        #expect(results[server.url("/rate-limited-once.jpg")] == URLCheckResult(ok: true, detail: "HTTP 200"))
        #expect(server.requests("/rate-limited-once.jpg") == 2)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(OnlineChecker.retryAfter("120") == 120)
        #expect(OnlineChecker.retryAfter("Tue, 14 Nov 2023 22:13:27 GMT", now: now) == 7)
        #expect(OnlineChecker.retryAfter("soon") == nil && OnlineChecker.retryAfter(nil) == nil)
    }

    @Test func perHostLimitBoundsConcurrency() throws {
        let server = try LoopbackHTTPServer()
        var s = Self.settings(timeout: 5)
        s.perHost = 2
        let urls = (0..<8).map { server.url("/delay-\($0).jpg") }
        let results = OnlineChecker(settings: s).check(urls)
        #expect(results.values.allSatisfy { $0.ok })
        #expect(server.maxConcurrent <= 2)
        #expect(server.log.withLock { $0.count } == 8)
    }

    @Test func diskCacheIsReusedUntilItExpires() throws {
        let server = try LoopbackHTTPServer()
        let dir = TemporaryDirectory()
        var s = Self.settings()
        s.cacheFile = dir.path + "/image-cache.json"
        let urls = [server.url("/ok.jpg"), server.url("/missing.jpg"), server.url("/error.jpg")]
        _ = OnlineChecker(settings: s).check(urls)
        #expect(server.log.withLock { $0.count } == 3)
        // A new run reads definitive answers from the cache; the 500 is transient and asked again.
        let second = OnlineChecker(settings: s).check(urls)
        #expect(second[server.url("/missing.jpg")] == URLCheckResult(ok: false, detail: "HTTP 404"))
        #expect(server.requests("/ok.jpg") == 1)
        #expect(server.requests("/missing.jpg") == 1)
        #expect(server.requests("/error.jpg") == 2)
        // Expired entries are checked again.
        s.cacheMaxAge = 0
        Thread.sleep(forTimeInterval: 0.01)
        _ = OnlineChecker(settings: s).check(urls)
        #expect(server.requests("/ok.jpg") == 2)
    }

    @Test func linterReportsUnreachableImagesInEveryFileOnce() throws {
        let server = try LoopbackHTTPServer()
        let files: [(String, String)] = [
            ("a.md", "---\ntitle: 校园新闻\n---\n会议现场：![会场](\(server.url("/missing.jpg")))\n![合影](\(server.url("/ok.jpg")))\n"),
            ("b.md", "---\ntitle: 校園新聞\n---\n<figure><img src=\"\(server.url("/missing.jpg"))\" alt=\"\"></figure>\n<img src='\(server.url("/loop-a"))'>\n"),
            ("c.md", "---\ntitle: 代码\n---\n`![图](\(server.url("/error.jpg")))`\n"),
        ]
        var config = Configuration(directory: "/nonexistent-example-root")
        config.rules = [("image-link-broken", RuleSetting(enabled: true))]
        var settings = LintSettings()
        settings.jobs = 2
        settings.filter = RuleFilter(select: ["image-link-broken"])
        settings.environment.images = Self.settings()
        let linter = try Linter(catalog: .builtin, config: config, settings: settings)
        let result = linter.lint(files.map { .text(path: $0.0, bytes: Array($0.1.utf8)) })
        let got = result.diagnostics.map { "\($0.path):\($0.line):\($0.column) \($0.message)" }
        #expect(got == [
            "a.md:4:12 remote image '\(server.url("/missing.jpg"))' is unreachable: HTTP 404",
            "b.md:4:19 remote image '\(server.url("/missing.jpg"))' is unreachable: HTTP 404",
            "b.md:5:11 remote image '\(server.url("/loop-a"))' is unreachable: redirect loop",
        ])
        #expect(server.requests("/missing.jpg") == 1)
        #expect(server.requests("/error.jpg") == 0, "images in code spans are not checked")
    }

    @Test func offlineByDefaultAndOnlineFromTheCommandLine() throws {
        let server = try LoopbackHTTPServer()
        let dir = TemporaryDirectory()
        dir.write("news.md", "---\ntitle: 校园新闻\n---\n![会场](\(server.url("/missing.jpg")))\n")
        let offline = CLIRun.run(["--no-config", "--select", "image-link-broken", "news.md"], cwd: dir.path)
        #expect(offline.status == 0)
        #expect(server.log.withLock { $0.isEmpty })
        let online = CLIRun.run(["--no-config", "--select", "image-link-broken", "--online", "--allow-private-hosts", "--image-timeout", "4", "--format", "concise", "news.md"], cwd: dir.path)
        #expect(online.status == 1)
        #expect(online.stdout.contains("news.md:4:7"))
        #expect(online.stdout.contains("HTTP 404"))
        let both = CLIRun.run(["--online", "--offline", "news.md"], cwd: dir.path)
        #expect(both.status == 2)
    }

    @Test func iriBecomesAPercentEncodedRequest() throws {
        let server = try LoopbackHTTPServer()
        let results = OnlineChecker(settings: Self.settings()).check([server.url("/图片/ok.jpg")])
        #expect(results[server.url("/图片/ok.jpg")]?.ok == true)
        #expect(server.requests("/%E5%9B%BE%E7%89%87/ok.jpg") == 1)
    }
}
