import Foundation
import Testing
@testable import NewsLintEngine

/// The cache's tool fingerprint names the running binary by size and mtime; the stamp is read
/// without `Bundle.main` on Linux and must still be the running executable's.
@Suite struct ToolFingerprintTests {
    @Test func executableStampIsTheRunningBinary() throws {
        let stamp = try #require(LintCache.executableStamp)
        let path = try #require(Bundle.main.executablePath ?? CommandLine.arguments.first)
        let expected = try #require(FileStamp.of(path))
        #expect(stamp.size == expected.size)
        #expect(stamp.mtimeSeconds == expected.mtimeSeconds && stamp.mtimeNanoseconds == expected.mtimeNanoseconds)
        #expect(stamp.inode == expected.inode)
        #expect(LintCache.toolFingerprint.hasSuffix(" \(expected.size) \(expected.mtimeSeconds).\(expected.mtimeNanoseconds)"))
    }

    /// On Linux the stamp comes from `/proc/self/exe`'s target (the fallback would hide a broken read).
    @Test func linuxReadsTheExecutableFromProc() throws {
        #if os(Linux)
        let path = try #require(LintCache.procSelfExecutablePath())
        #expect(path == (try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")))
        #expect(FileStamp.of(path) == LintCache.executableStamp)
        #else
        #expect(LintCache.procSelfExecutablePath() == nil)
        #endif
    }
}
