import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// Session 36: a document's line starts, its normalised body and the next file's bytes are written
/// into storage the last documents gave back (`LineStartStorage`, `DecodeStorage`, `ScratchStorage`,
/// `FileBytesStorage`), and a front matter whose keys are all common ones, none twice, skips the
/// duplicate check. Each gives what the fresh computation gives, on seeded random text that leaves
/// the storage dirty for the next.
@Suite struct PooledDocumentStorageTests {
    /// Random Markdown or HTML text: lines of mixed length (empty, CRLF, no final newline), Chinese
    /// and ASCII words, character references, tags, a fence now and then.
    static func randomText(_ rng: inout SeededRandom) -> [UInt8] {
        let pieces = ["新聞", "中文字，", "稿。", "abc ", "x", "&amp;", "&#x4E2D;", "<p>", "</p>", "<div class=\"a\">", "\u{3000}",
                      "é", "e\u{301}", "😀", "```", "~~~", " ", "\t", "<script>var a = 1;</script>", "<!-- c -->"]
        var out: [UInt8] = rng.chance(0.5) ? Array("---\ntitle: 标题\ndate: 2024-01-01\n---\n".utf8) : []
        let lines = rng.below(60)
        for _ in 0..<lines {
            let count = rng.chance(0.1) ? rng.below(2_000) : rng.below(30)
            for _ in 0..<count { out += Array(rng.pick(pieces).utf8) }
            if rng.chance(0.05) { out += [0xFF, 0xC3] }
            out += rng.chance(0.2) ? [0x0D, 0x0A] : [0x0A]
        }
        if rng.chance(0.3), !out.isEmpty { out.removeLast() }
        return out
    }

    /// Line starts written into kept storage equal the fresh computation, and a document still held
    /// keeps its own while later documents reuse what earlier ones gave back.
    @Test func lineStartsFromKeptStorageAreTheFreshOnes() {
        var rng = SeededRandom(seed: 36)
        var held: [(Document, [Int])] = []
        for round in 0..<400 {
            let bytes = Self.randomText(&rng)
            let document = Document(path: round % 2 == 0 ? "a.md" : "a.html", bytes: bytes)
            let fresh = Document.computeLineStarts(bytes)
            #expect(document.lineStarts == fresh)
            if round % 9 == 0 { held.append((document, fresh)) }
        }
        for (document, fresh) in held { #expect(document.lineStarts == fresh, "a held document's line starts were overwritten") }
        // Dirty storage handed in directly.
        #expect(Document.computeLineStarts(Array("a\nb\n".utf8), into: [7, 7, 7, 7, 7, 7]) == [0, 2, 4])
        #expect(Document.computeLineStarts([], into: [3]) == [0])
    }

    /// A finished document's line starts are kept for the next one (tried until one round sees it:
    /// tests running alongside share the pool).
    @Test func aFinishedDocumentsLineStartsAreKept() {
        #expect(LineStartStorage.spares.receivesStorage(of: { Document(path: "k.md", text: "中文\n字\n") }, { $0.lineStarts }))
    }

    /// The normalised body written into kept storage (and through a kept scratch buffer) equals the
    /// view made with buffers of its own, for documents linted one after another and together.
    @Test func normalizedBodyFromKeptStorageIsTheFreshOne() {
        var rng = SeededRandom(seed: 3636)
        var held: [(Document, NormalizedBodyView)] = []
        for round in 0..<300 {
            let bytes = Self.randomText(&rng)
            let document = Document(path: round % 3 == 0 ? "a.html" : "a.md", bytes: bytes)
            if round % 4 == 0 { _ = document.scalars }  // the normaliser reads the shared decode when there is one
            let fresh = BodyNormalizer.unpooledView(Document(path: document.path, bytes: bytes))
            let body = document.normalizedBody
            #expect(body.scalars == fresh.scalars && body.hash == fresh.hash)
            if round % 7 == 0 { held.append((document, fresh)) }
        }
        for (document, fresh) in held { #expect(document.normalizedBody.scalars == fresh.scalars, "a held document's body was overwritten") }
    }

    /// Files read into storage earlier documents gave back (`FileBytesStorage`) read as they are on
    /// disk, whatever size came before (empty, one byte, larger and smaller than the last), and a
    /// document still held keeps its bytes while later files are read.
    @Test func filesReadIntoKeptStorageAreTheirBytes() throws {
        var rng = SeededRandom(seed: 6336)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pooled-bytes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var held: [(Document, [UInt8])] = []
        for round in 0..<120 {
            var bytes = Self.randomText(&rng)
            if round % 10 == 3 { bytes = [] }
            if round % 10 == 4 { bytes = [0x41] }
            let url = dir.appendingPathComponent("f\(round % 5).md")
            try Data(bytes).write(to: url)
            guard case .bytes(let read) = FileReader.read(url.path, maxSize: 1 << 24) else {
                Issue.record("\(url.path) not read")
                continue
            }
            #expect(read == bytes, "round \(round)")
            let document = Document(path: url.path, bytes: read)
            if round % 6 == 0 { held.append((document, bytes)) }
        }
        for (document, bytes) in held { #expect(document.bytes == bytes, "a held document's bytes were overwritten") }
    }

    /// Duplicate keys told from the common-key slots (all keys common, none noted twice) agree with
    /// the check by string, on seeded random blocks of common, other, quoted and non-ASCII keys.
    @Test func duplicatesFromCommonKeySlotsMatchTheStringCheck() throws {
        var rng = SeededRandom(seed: 1636)
        let keys = YAMLSubset.commonKeys + ["\"title\"", "'date'", "caf\u{E9}", "cafe\u{301}", "Title", "extra", "title ", "  title"]
        var sawShortcut = 0, sawDuplicate = 0
        for _ in 0..<600 {
            var text = "---\n"
            for _ in 0..<(1 + rng.below(8)) {
                text += rng.pick(keys) + ": " + rng.pick(["x", "2024-01-01", "\"q\"", "", "[a, b]", "长 标题"]) + "\n"
            }
            text += "---\nbody\n"
            let fm = try #require(Document(path: "a.md", text: text).frontMatter)
            let byString = FrontMatter.anyDuplicateKeys(fm.entries, keysAreASCII: FrontMatter.allKeysASCII(fm.entries))
            #expect(fm.hasDuplicateKeys == byString, "\(text)")
            #expect(fm.problems.contains { $0.message.hasPrefix("duplicate key") } == byString, "\(text)")
            if fm.commonFirst.provesNoDuplicate { sawShortcut += 1 }
            if byString { sawDuplicate += 1 }
        }
        #expect(sawShortcut > 50 && sawDuplicate > 50)
    }
}
