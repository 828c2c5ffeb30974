import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// Issue 19, item 1: `--fix` on files in legacy encodings. Rules edit UTF-8 bytes; in a UTF-16,
/// GB18030 or Big5 file such edits cut characters apart. Only the explicit transcoding may apply.
@Suite struct EncodingFixTests {
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)
    static let big5 = String.Encoding(rawValue: 0x8000_0A03)

    /// The legacy encodings of the issue, with the bytes each adds in front (a BOM for UTF-16).
    static let encodings: [(name: String, encoding: String.Encoding, prefix: [UInt8])] = [
        ("UTF-16LE", .utf16LittleEndian, [0xFF, 0xFE]),
        ("UTF-16BE", .utf16BigEndian, [0xFE, 0xFF]),
        ("GB18030", gb18030, []),
        ("Big5", big5, []),
    ]

    /// The seeds plus generated articles: seed lines shuffled, with the characters that safe fixes
    /// target (zero-width spaces, compatibility ideographs, trailing blanks) mixed in, and one
    /// Traditional article so Big5 has something to encode.
    static func texts() throws -> [String] {
        let seeds = try FileManager.default.contentsOfDirectory(atPath: PackagePaths.seeds.path).sorted()
            .map { try String(contentsOf: PackagePaths.seeds.appendingPathComponent($0), encoding: .utf8) }
        var out = seeds
        var rng = SeededRandom(seed: 19)
        let lines = seeds.flatMap { $0.split(separator: "\n").map(String.init) }
        let noise = ["\u{200B}", "\u{F91F}", "\u{2F47}", "  ", "\u{FEFF}", "\u{3000}", "\t"]
        for _ in 0..<40 {
            var article = "---\ntitle: 新聞\ndate: 2024-01-01\n---\n"
            for _ in 0..<12 {
                var line = lines[Int(rng.next() % UInt64(lines.count))]
                let cut = line.index(line.startIndex, offsetBy: Int(rng.next() % UInt64(max(1, line.count))))
                line.insert(contentsOf: noise[Int(rng.next() % UInt64(noise.count))], at: cut)
                article += line + (rng.next() % 3 == 0 ? " \n" : "\n")
            }
            out.append(article)
        }
        out.append("---\ntitle: 學校新聞\n---\n學校新聞中心今日舉行記者會，宣布\u{200B}新學年的招生安排。 \n聯合國事實調查團。\n")
        return out
    }

    static func linter(fix: Applicability, select: [String]? = nil) throws -> Linter {
        var settings = LintSettings()
        settings.jobs = 1
        settings.fix = .preview(fix)
        if let select { settings.filter = RuleFilter(select: select) }
        return try Linter(catalog: .builtin, config: Configuration(directory: "/nonexistent-example-root"), settings: settings)
    }

    static func fixed(_ bytes: [UInt8], _ linter: Linter) -> [UInt8] {
        linter.lint([.text(path: "a.md", bytes: bytes)]).files[0].fix?.fixed ?? bytes
    }

    /// Property: a re-encoded article is never changed by safe fixes (every rule on); with unsafe
    /// fixes the only change is the transcoding, whose result is exactly the article in UTF-8
    /// (no stray newline); and fixing again changes nothing.
    @Test func legacyEncodedArticlesSurviveFixing() throws {
        let safe = try Self.linter(fix: .safe)
        let unsafe = try Self.linter(fix: .unsafe, select: ["encoding-invalid", "invisible-char", "compat-ideograph", "trailing-whitespace", "final-newline"])
        var checked = 0, transcoded = 0
        for text in try Self.texts() {
            for (name, encoding, prefix) in Self.encodings {
                // Foundation's Big5 encoder drops characters it lacks (U+200B), so compare with what the bytes hold.
                guard let data = text.data(using: encoding, allowLossyConversion: false),
                      let held = String(data: data, encoding: encoding) else { continue }
                let bytes = prefix + [UInt8](data)
                guard UTF8Validation.firstInvalidOffset(in: bytes) != nil else { continue }
                checked += 1
                #expect(Self.fixed(bytes, safe) == bytes, "\(name): a safe fix changed a legacy-encoded file")
                let once = Self.fixed(bytes, unsafe)
                if once != bytes {
                    transcoded += 1
                    #expect(UTF8Validation.firstInvalidOffset(in: once) == nil, "\(name)")
                    // The transcoding pass alone reproduces the text; later passes only fix UTF-8.
                    let transcodeOnly = Self.fixed(bytes, try Self.linter(fix: .unsafe, select: ["encoding-invalid"]))
                    #expect(transcodeOnly == Array(held.utf8), "\(name): transcoding changed the text")
                }
                #expect(Self.fixed(once, unsafe) == once, "\(name): fix(fix(x)) != fix(x)")
            }
        }
        #expect(checked >= 120)
        #expect(transcoded >= 80)
    }

    /// UTF-16LE with a final "\n" ends in 0A 00: final-newline used to add a byte in the same pass
    /// as the transcoding, which turned into a stray empty line.
    @Test func utf16TranscodingAddsNoStrayNewline() throws {
        let text = "學校新聞。\n"
        let bytes: [UInt8] = [0xFF, 0xFE] + [UInt8](text.data(using: .utf16LittleEndian)!)
        let linter = try Self.linter(fix: .unsafe, select: ["encoding-invalid", "final-newline"])
        #expect(Self.fixed(bytes, linter) == Array(text.utf8))
    }

    /// Invalid UTF-8 without a lossless legacy decoding gets no fix at all.
    @Test func undecodableFileGetsNoFix() throws {
        let bytes = Array("標題 \n".utf8) + [0xFF, 0xFE, 0x80] + Array("x\u{200B}y \n".utf8)
        #expect(Self.fixed(bytes, try Self.linter(fix: .unsafe)) == bytes)
    }

    /// The guard itself: an edit that splits a UTF-8 character is rolled back.
    @Test func editSplittingACharacterIsRolledBack() {
        let doc = Document(path: "a.md", text: "新聞\n")
        let bad = Diagnostic(rule: "r", severity: .warning, path: "a.md", line: 1, column: 1, message: "m",
                             fix: Fix(.safe, "f", edits: [Edit(range: 1..<2, replacement: [0x80])]))
        let result = Fixer.fix(document: doc, initial: [bad], allowed: .safe) { _ in [] }
        #expect(result.bytes == doc.bytes)
        #expect(result.outcome.rolledBack?.contains("outside its edits") == true)
        #expect(EncodingGuard.preservesText(old: doc.bytes, new: Array("新x\n".utf8), edits: [Edit(range: 3..<6, replacement: "x")], encoding: .utf8))
        #expect(!EncodingGuard.preservesText(old: doc.bytes, new: Array("新\n".utf8).dropLast() + [0x0A], edits: [Edit(range: 2..<6, replacement: [])], encoding: .utf8))
    }
}

/// Issue 19, item 2: `--fix` on stdin prints the input's bytes, not a lossy decoding.
@Suite struct StdinFixEchoTests {
    static func run(_ stdin: [UInt8], _ args: [String]) -> (status: Int32, out: [UInt8]) {
        let out = Locked<[UInt8]>([])
        let io = ToolIO(stdout: { s in out.withLock { $0 += Array(s.utf8) } }, stderr: { _ in },
                        readStdin: { stdin }, currentDirectory: "/", environment: [:],
                        stdoutBytes: { b in out.withLock { $0 += b } })
        let status = NewsLintCLI.run(args, io: io)
        return (status, out.withLock { $0 })
    }

    @Test func invalidBytesComeBackUnchanged() {
        let input = Array("標題 \n".utf8) + [0xB1, 0xEA, 0xCC, 0xE2, 0xFF] + Array("\n正文 \n".utf8)
        let r = Self.run(input, ["--no-config", "--no-cache", "--fix", "-"])
        #expect(r.out == input)
    }

    @Test func validTextIsFixedAndTheRestKeptByteForByte() {
        let r = Self.run(Array("正文 \n".utf8), ["--no-config", "--no-cache", "--fix", "--select", "trailing-whitespace", "-"])
        #expect(r.out == Array("正文\n".utf8))
    }
}
