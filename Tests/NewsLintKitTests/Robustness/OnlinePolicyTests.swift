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
}
