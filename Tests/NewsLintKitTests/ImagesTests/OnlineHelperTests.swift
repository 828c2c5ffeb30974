import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI
@testable import NewsLintOnline

/// Online checks run in the `newslint-online` executable, so `newslint` itself does not link
/// FoundationNetworking (libcurl and its TLS libraries, loaded on every start before).
@Suite struct OnlineHelperTests {
    /// The helper built beside the test runner (`swift build` and `swift test` build it).
    static let helper = OnlineHelper.locate()

    @Test(.enabled(if: helper != nil, "needs the newslint-online executable beside the test runner"))
    func helperProcessAnswersLikeTheInProcessChecker() throws {
        let server = try LoopbackHTTPServer()
        let urls = ["/ok.jpg", "/missing.jpg", "/loop-a", "/no-head.jpg", "/图片/ok.jpg"].map(server.url)
        let checker = HelperURLChecker(settings: ImagesOnlineTests.settings(), helper: try #require(Self.helper))
        let viaHelper = checker.check(urls + [urls[0]])
        let other = try LoopbackHTTPServer()
        let inProcess = OnlineChecker(settings: ImagesOnlineTests.settings()).check(urls.map { $0.replacingOccurrences(of: server.base, with: other.base) })
        #expect(viaHelper.count == urls.count)
        for url in urls {
            #expect(viaHelper[url] == inProcess[url.replacingOccurrences(of: server.base, with: other.base)], "\(url)")
        }
        #expect(viaHelper[server.url("/missing.jpg")] == URLCheckResult(ok: false, detail: "HTTP 404"))
        _ = checker.check(urls) // remembered for the rest of the run: no second helper, no second request
        #expect(server.requests("/missing.jpg") == 1)
    }

    @Test func aHelperThatCannotRunLeavesEveryURLUnchecked() {
        let checker = HelperURLChecker(settings: ImagesOnlineTests.settings(), helper: "/nonexistent/newslint-online")
        let results = checker.check(["https://example.com/a.jpg", "https://example.com/b.jpg"])
        #expect(results.count == 2)
        #expect(results.values.allSatisfy { !$0.ok && $0.detail.hasPrefix("not checked: newslint-online did not start") })
    }

    /// A helper that exits before reading its request (it cannot load its libraries) or is killed:
    /// every URL is "not checked" with the reason, and this process carries on (no SIGPIPE).
    @Test(arguments: [("exit 127", "exit status 127"), ("kill -9 $$", "killed by signal 9")])
    func aHelperThatEndsEarlyLeavesEveryURLUncheckedWithTheReason(script: String, reason: String) throws {
        let dir = TemporaryDirectory()
        let helper = dir.path + "/newslint-online"
        try Data("#!/bin/sh\n\(script)\n".utf8).write(to: URL(fileURLWithPath: helper))
        chmod(helper, 0o755)
        // A request far larger than a pipe's buffer, as a whole corpus's image links make.
        let urls = (0..<20_000).map { "https://example.com/images/\($0)/a-long-image-name.jpg" }
        let results = HelperURLChecker(settings: ImagesOnlineTests.settings(), helper: helper).check(urls)
        #expect(results.count == urls.count)
        #expect(results.values.allSatisfy { !$0.ok && $0.detail.contains(reason) })
    }

    @Test func serviceRejectsInputThatIsNotARequest() {
        #expect(OnlineHelperService.respond(to: Data("{}".utf8)) == nil)
        let empty = OnlineHelperService.respond(to: try! JSONEncoder().encode(OnlineHelper.Request(settings: ImageSettings(), urls: [])))
        #expect(empty.map { String(decoding: $0, as: UTF8.self) } == "{}")
    }

    #if os(Linux)
    /// The start-up cost this split removes: `newslint` must not name FoundationNetworking (or libcurl)
    /// among the shared objects it needs.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: LanguageServerBinaryTests.binary), "needs .build/debug/newslint (swift build)"))
    func newslintDoesNotLoadFoundationNetworking() throws {
        let binary = try Data(contentsOf: URL(fileURLWithPath: LanguageServerBinaryTests.binary))
        #expect(binary.range(of: Data("libFoundationNetworking".utf8)) == nil)
        #expect(binary.range(of: Data("libcurl".utf8)) == nil)
    }
    #endif
}
