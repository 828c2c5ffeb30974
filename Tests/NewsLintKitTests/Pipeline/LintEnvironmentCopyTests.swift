import Foundation
import Testing
@testable import NewsLintCore

/// `LintEnvironment` keeps its run settings (base directory, images, overrides, URL checker) behind
/// one shared reference: a copy changed must not change the environment it was copied from, nor
/// the other way round, field by field, as when they were stored inline.
@Suite struct LintEnvironmentCopyTests {
    struct NoChecker: URLChecker {
        func check(_ urls: [String]) -> [String: URLCheckResult] { [:] }
    }

    @Test func copiesKeepTheirOwnSettings() {
        var a = LintEnvironment()
        a.baseDirectory = "/a"
        a.images.online = true
        a.images.roots = ["/ra"]
        var b = a
        b.baseDirectory = "/b"
        b.images.roots.append("/rb")
        b.imageOverrides.timeout = 3
        b.urlChecker = NoChecker()
        #expect(a.baseDirectory == "/a" && b.baseDirectory == "/b")
        #expect(a.images.roots == ["/ra"] && b.images.roots == ["/ra", "/rb"])
        #expect(a.images.online && b.images.online)
        #expect(a.imageOverrides.timeout == nil && b.imageOverrides.timeout == 3)
        #expect(a.urlChecker == nil && b.urlChecker != nil)
        #expect(!a.isOnline && b.isOnline)
        // And the original changed after the copy leaves the copy alone.
        a.images.online = false
        a.baseDirectory = "/a2"
        #expect(b.images.online && b.baseDirectory == "/b" && a.baseDirectory == "/a2")
        // The per-document fields stay per copy too.
        var c = b
        c.linesReportedByPacks.insert(4)
        #expect(b.linesReportedByPacks.isEmpty && c.linesReportedByPacks == [4])
        #expect(LintEnvironment.default.baseDirectory == FileManager.default.currentDirectoryPath)
    }
}
