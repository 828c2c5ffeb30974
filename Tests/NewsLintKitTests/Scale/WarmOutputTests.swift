import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import NewsLintCore
@testable import NewsLintEngine

/// The warm output's shortcuts: consumed findings destroyed by the thread that decoded them,
/// and stored cross-file strings built without validation only when their file is unchanged.
@Suite struct WarmOutputTests {
    /// Counts its instances alive.
    final class Tracked: @unchecked Sendable {
        static let alive = Locked(0)
        init() { Self.alive.withLock { $0 += 1 } }
        deinit { Self.alive.withLock { $0 -= 1 } }
    }

    @Test func spentValuesAreDestroyedByTheDrainingThreadOnlyWhileItDrains() {
        let spent = SpentValues()
        let before = Tracked.alive.withLock { $0 }
        // Nobody drains: the giver keeps (and destroys) its value.
        spent.give([Tracked()])
        #expect(Tracked.alive.withLock { $0 } == before)

        spent.start()
        spent.give([Tracked(), Tracked()])
        spent.give([Tracked()])
        #expect(Tracked.alive.withLock { $0 } == before + 3)
        spent.drain()
        #expect(Tracked.alive.withLock { $0 } == before)

        spent.give([Tracked()])
        #expect(Tracked.alive.withLock { $0 } == before + 1)
        spent.stop()
        #expect(Tracked.alive.withLock { $0 } == before)
        spent.give([Tracked()])
        #expect(Tracked.alive.withLock { $0 } == before)
    }

    @Test(arguments: ["", "ascii only", "body is identical to /news/乌克兰-2.html, /news/乌克兰-3.html", "é\u{301}", "🇺🇦 \u{2028}"])
    func knownValidStringsEqualValidatedOnes(text: String) {
        let bytes = Array(text.utf8)
        let validated = bytes.withUnsafeBufferPointer { String(exactUTF8: $0) }
        let unchecked = bytes.withUnsafeBufferPointer { String(knownValidUTF8: $0) }
        #expect(unchecked == validated)
        #expect(unchecked.map { Array($0.utf8) } == bytes)
        #expect(unchecked?.unicodeScalars.count == text.unicodeScalars.count)
    }

    @Test func recentStringsTrustingTheirBytesDecodeAsValidatingOnes() {
        var trusting = RecentStrings()
        trusting.bytesAreValidUTF8 = true
        var validating = RecentStrings()
        for text in ["a", "line repeated in 3 of 9 files", "正文与 /a/新闻.html 相同", "a", "正文与 /a/新闻.html 相同"] {
            let bytes = Array(text.utf8)
            let a = bytes.withUnsafeBufferPointer { trusting.string($0) }
            let b = bytes.withUnsafeBufferPointer { validating.string($0) }
            #expect(a == text)
            #expect(a == b)
        }
        // Invalid bytes are still refused by a reader that validates.
        let invalid: [UInt8] = [0x61, 0xE4, 0xB8]
        #expect(invalid.withUnsafeBufferPointer { validating.string($0) } == nil)
    }

    /// A result file written moments ago has a stamp that could miss a later write in the same
    /// clock tick: its strings are validated, so bytes that are not UTF-8 (here under a valid
    /// checksum, as a file changed in place and re-signed could hold) fail the replay instead of
    /// becoming a `String`.
    @Test func aFreshResultFileIsValidatedAndInvalidTextFailsItsReplay() throws {
        let dir = TemporaryDirectory()
        let path = dir.path + "/result.cross-file"
        let macKey: (UInt64, UInt64) = (11, 13)
        let key: UInt64 = 7, digest: UInt64 = 42
        func file(path findingPath: [UInt8]) -> [UInt8] {
            var chunk = ByteWriter(), one = ByteWriter()
            var texts = CrossFileTexts.Writer()
            findingPath.withUnsafeBufferPointer { texts.write($0, to: &chunk) }
            one.diagnostic(Diagnostic(rule: "content-duplicate", severity: .warning, path: "x", line: 1, column: 1, message: "same body")) {
                texts.write($1, to: &$0)
            }
            chunk.blob(one.bytes)
            return CrossFileResultFile.header(key: key, digest: digest, fileCount: 1)
                + CrossFileResultFile.chunk(chunk.bytes, number: 0, key: key, digest: digest, macKey: macKey)
                + CrossFileResultFile.trailer(count: 1, chunks: 1, key: key, digest: digest, macKey: macKey)
        }
        func replay() throws -> [Diagnostic]? {
            let result = try #require(CrossFileResultFile.open(path, key: key, digest: digest, macKey: macKey, knownStrings: KnownStrings()))
            var out: [Diagnostic] = []
            return result.forEach { out.append($0) } ? out : nil
        }
        try Data(file(path: Array("news/新闻.md".utf8))).write(to: URL(fileURLWithPath: path))
        #expect(try replay()?.map(\.path) == ["news/新闻.md"])
        try Data(file(path: [0x6E, 0xE6, 0x96, 0x2E])).write(to: URL(fileURLWithPath: path))
        #expect(try replay() == nil)
    }
}
