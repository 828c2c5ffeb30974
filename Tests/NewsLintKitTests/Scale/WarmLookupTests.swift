import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine

/// What a warm run does once per file (find the stamper's directory, hash the path, show the
/// path) gives what the plain code it replaced gave.
@Suite struct WarmLookupTests {
    /// The last slash is found wherever it is: in the first word, the last, across words, none.
    @Test func lastSlashMatchesAByteScan() {
        var names: [[UInt8]] = [[], Array("/".utf8), Array("a".utf8), Array("/abc".utf8), Array("abc/".utf8)]
        for length in 1..<40 {
            for at in stride(from: 0, to: length, by: 3) {
                var bytes = Array(repeating: UInt8(ascii: "x"), count: length)
                bytes[at] = UInt8(ascii: "/")
                names.append(bytes)
                // Chinese text around it (bytes ≥ 0x80 in every word).
                names.append(Array("新聞".utf8) + bytes + Array("報導.md".utf8))
            }
        }
        names.append(Array("/tmp/報導/新聞 — 2024 “標題”.html".utf8))
        for name in names {
            let found = name.withUnsafeBufferPointer { DirectoryStamper.lastSlash($0) }
            #expect(found == name.lastIndex(of: UInt8(ascii: "/")), "\(name)")
        }
    }

    /// A long name shows an escaped character wherever it sits (the sixteen-byte steps, the
    /// eight-byte steps and the last bytes), and a long name without one unchanged.
    @Test func longNamesAreShownAsShortOnesAre() {
        let specials: [(String, String)] = [
            ("\\", "\\\\"), ("\u{01}", "\\x01"), ("\u{7F}", "\\x7F"), ("\u{85}", "\\xC2\\x85"),
            ("\u{2028}", "\\xE2\\x80\\xA8"), ("\u{202E}", "\\xE2\\x80\\xAE"), (SystemPath.decode([0xB7]), "\\xB7"),
            // Lead bytes that only may start an escape: shown as they are.
            ("“", "“"), ("é", "é"), ("\u{10000}", "\u{10000}"), ("\u{F4}", "\u{F4}"),
        ]
        for (special, shown) in specials {
            for before in 0..<40 {
                let prefix = String(repeating: "a", count: before % 5) + String(repeating: "新", count: before / 5)
                let suffix = "報導/2024-11-01-標題.html"
                #expect(SystemPath.display(prefix + special + suffix) == prefix + shown + suffix, "\(before) \(shown)")
            }
        }
        let plain = "agora-x10-copies/copy-00/2024-11-01-AJ-乌克兰再次喊话盟友-请允许我们用你们的武器打击俄罗斯.html"
        #expect(SystemPath.display(plain) == plain)
    }

    /// Paths of every length up to a few hundred bytes, and paths that differ in one byte
    /// anywhere (a copy's directory, a date, the last letter), hash apart; equal bytes hash alike.
    @Test func pathHashesSeparateNearlyEqualPaths() {
        var seen: [UInt64: String] = [:]
        var paths: [String] = []
        for length in 0..<300 { paths.append(String(repeating: "a", count: length)) }
        let base = "agora-x10-copies/copy-00/2024-11-01-AJ-乌克兰再次喊话盟友-请允许我们用你们的武器打击俄罗斯.html"
        let bytes = Array(base.utf8)
        for i in bytes.indices where bytes[i] < 0x80 {
            for b in [UInt8(ascii: "0"), UInt8(ascii: "9"), UInt8(ascii: "z")] where b != bytes[i] {
                var changed = bytes
                changed[i] = b
                paths.append(String(decoding: changed, as: UTF8.self))
            }
        }
        for copy in 0..<100 { for day in 1...28 { paths.append("/corpus/copy-\(copy)/2024-11-\(day)-新闻.md") } }
        paths.append(base)
        for path in paths {
            let hash = LintCache.pathHash(path)
            #expect(seen[hash] == nil || seen[hash] == path, "\(path) and \(seen[hash] ?? "")")
            seen[hash] = path
            #expect(LintCache.pathHash(String(decoding: Array(path.utf8), as: UTF8.self)) == hash)
        }
    }

    /// Every byte of a short path is hashed (below sixteen bytes the words overlap): changing any
    /// one of them changes the hash.
    @Test func everyByteOfAShortPathCounts() {
        let base = Array("ab/cdefghijklmnopqrstu".utf8)
        for length in 1...base.count {
            let path = Array(base[..<length])
            let hash = LintCache.pathHash(String(decoding: path, as: UTF8.self))
            for i in path.indices {
                var changed = path
                changed[i] = changed[i] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
                #expect(LintCache.pathHash(String(decoding: changed, as: UTF8.self)) != hash, "length \(length), byte \(i)")
            }
        }
    }
}
