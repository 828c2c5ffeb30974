import Foundation
import Testing
@testable import NewsLintCore

/// Issue 16, session 12: per-file fixed costs (the path list's decode, the F4 test of a path, the
/// front-matter lookup, the file read) against the plain forms they replaced.
@Suite struct FixedCostEquivalenceTests {
    /// Paths with shared directories and date prefixes, a mapped non-UTF-8 byte, long names.
    static func randomPaths(_ random: inout SeededRandom) -> [String] {
        let parts = ["/corpus", "/2024", "/2024-05", "/新闻", "/a", "/b.md", "/c.html", "/\u{10FFB7}x", "/" + String(repeating: "长", count: 90), "/z"]
        return (0..<random.below(60)).map { _ in (0...random.below(5)).map { _ in parts[random.below(parts.count)] }.joined() }
    }

    @Test func pathListReadsBackEveryPath() {
        var random = SeededRandom(seed: 1_212)
        for _ in 0..<300 {
            let paths = Self.randomPaths(&random)
            let list = PathList(paths)
            #expect(list.count == paths.count)
            // Every index, in order and out of it (each read starts from its restart point).
            for i in paths.indices.shuffled(using: &random) {
                #expect(list[i].utf8.elementsEqual(paths[i].utf8), "\(i): \(paths[i])")
            }
        }
    }

    @Test func containsF4AnswersAsTheUTF8View() {
        var random = SeededRandom(seed: 1_213)
        let pieces = ["a", "/", "新", "\u{10FFB7}", "\u{10000}", "\u{F4}", "ô", "\u{100000}", String(repeating: "x", count: 20)]
        for _ in 0..<2_000 {
            let s = (0..<random.below(12)).map { _ in pieces[random.below(pieces.count)] }.joined()
            #expect(SystemPath.containsF4(s) == s.utf8.contains(0xF4), "\(s.unicodeScalars.map(\.value))")
            // A substring-made string (another storage) answers the same.
            let tail = String(s.dropFirst())
            #expect(SystemPath.containsF4(tail) == tail.utf8.contains(0xF4))
        }
    }

    @Test func frontMatterEntryFindsTheFirstOfEachKey() {
        var random = SeededRandom(seed: 1_214)
        let keys = ["title", "date", "tags", "a", "a-much-longer-key-name-than-fits-a-small-string", "标题"]
        for _ in 0..<500 {
            let entries = (0..<random.below(10)).map { n in
                FrontMatterEntry(key: keys[random.below(keys.count)], line: n + 2, column: 1, value: .scalar("\(n)", .plain), valueRange: nil, entryRange: n..<(n + 1))
            }
            let matter = FrontMatter(format: .yaml, openLine: 1, closeLine: entries.count + 2, bodyStart: 0, bodyStartLine: 1, entries: entries, problems: [])
            for key in keys + ["missing"] {
                #expect(matter.entry(key)?.line == entries.first { $0.key == key }?.line, "\(key)")
            }
        }
    }

    @Test func fileReaderReadsWholeFilesOfEverySize() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fixed-cost-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var random = SeededRandom(seed: 1_215)
        for size in [0, 1, 2, 4095, 4096, 4097, 70_000] {
            let bytes = (0..<size).map { _ in UInt8(random.below(256)) }
            let path = directory.appendingPathComponent("f\(size)").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            guard case .bytes(let read) = FileReader.read(path, maxSize: 1 << 20) else {
                Issue.record("\(size): not read")
                continue
            }
            #expect(read == bytes, "\(size)")
        }
    }

    /// The fixed-width arrays are copied whole: the bytes are the plain little-endian form, after
    /// any prefix, and read back the same.
    @Test func factRecordArraysMatchThePlainForm() throws {
        var random = SeededRandom(seed: 1_216)
        for _ in 0..<300 {
            let prefix = (0..<random.below(5)).map { _ in UInt8(random.below(256)) }
            let small = (0..<random.below(40)).map { _ in UInt16(truncatingIfNeeded: random.next()) }
            let large = (0..<random.below(40)).map { _ in UInt32(truncatingIfNeeded: random.next()) }
            var w = FactRecordWriter()
            for b in prefix { w.byte(b) }
            w.fixed16Array(small)
            w.fixed32Array(large)
            var plain = prefix
            plain.append(UInt8(small.count))
            for v in small { plain += [UInt8(v & 0xFF), UInt8(v >> 8)] }
            plain.append(UInt8(large.count))
            for v in large { plain += (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
            #expect(w.bytes == plain)
            try w.bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
                var r = FactRecordReader(raw)
                for b in prefix { #expect(try r.byte() == b) }
                #expect(try r.fixed16Array() == small)
                #expect(try r.fixed32Array() == large)
                #expect(r.atEnd)
            }
        }
    }
}
