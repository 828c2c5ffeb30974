import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintEngine

/// The spill's read-back against what was appended, over many records: a record's own strings
/// are numbered from where it starts in a list shared by the records (emptied only now and then),
/// and findings arrays are built in place. Many files with messages of their own (so the shared
/// list is emptied mid-stream), the same path in consecutive records, long messages, CJK, control
/// characters, fixes of 0–9 edits and findings without a fix; in memory, through the temporary
/// file, and on the decoding thread.
@Suite struct SpillReadBackTests {
    static let texts = ["", "a", "行尾", "mixed line endings (6 CRLF, 9 LF); expected LF", "tab\there\u{1}\u{7F}\r\n",
                        "copyright footer '受到著作权法保护' (scraper residue)", String(repeating: "长消息", count: 300),
                        "é\u{301}", "🙂 emoji", "<div> has no end tag", "\u{2028}sep\u{2029}", "\"quoted\" \\ back"]

    static func files(_ rng: inout SeededRandom, count: Int) -> [[Diagnostic]] {
        var out: [[Diagnostic]] = []
        for f in 0..<count {
            // Every few files repeat the previous path (stdin named like a file on disk).
            let path = rng.chance(0.05) && !out.isEmpty ? (out.last?.first?.path ?? "x") : "dir-\(f % 7)/新闻-\(f).md"
            let n = rng.pick([1, 1, 2, 3, 5, 12, 40])
            var findings: [Diagnostic] = []
            for i in 0..<n {
                var fix: Fix?
                if rng.chance(0.6) {
                    let edits = (0..<rng.pick([0, 1, 1, 2, 3, 9])).map { _ -> Edit in
                        let lo = rng.below(70_000)
                        return Edit(range: lo..<(lo + rng.below(300)), replacement: Array(rng.pick(texts).utf8))
                    }
                    fix = Fix(rng.chance(0.5) ? .safe : .unsafe, rng.pick(texts), edits: edits)
                }
                // A message of this file's own half the time: the record's strings pile up.
                let message = rng.chance(0.5) ? "\(rng.pick(texts)) #\(f)-\(i % 3)" : rng.pick(texts)
                findings.append(Diagnostic(rule: rng.pick(["line-endings", "行尾", "content-duplicate", "x"]),
                                           severity: rng.pick([.info, .warning, .error]), path: path,
                                           line: 1 + i, column: 1 + rng.below(300), endLine: rng.chance(0.5) ? nil : rng.below(20_000),
                                           endColumn: rng.chance(0.5) ? nil : rng.below(130), message: message, fix: fix))
            }
            out.append(findings)
        }
        return out
    }

    /// Bytes compared, not `==` (canonical equivalence would let an NFD message come back as NFC).
    static func sameBytes(_ a: [Diagnostic], _ b: [Diagnostic]) -> Bool {
        guard a == b else { return false }
        return zip(a, b).allSatisfy { x, y in
            x.rule.hasSameBytes(as: y.rule) && x.message.hasSameBytes(as: y.message) && x.path.hasSameBytes(as: y.path)
                && (x.fix?.description ?? "").hasSameBytes(as: y.fix?.description ?? "")
        }
    }

    /// The last case is a spill small enough to be read back without the decoding thread.
    @Test(arguments: [(1 << 30, 1_500), (1 << 12, 1_500), (64, 1_500), (1 << 30, 3)])
    func recordsReadBackAsAppended(threshold: Int, fileCount: Int) {
        var rng = SeededRandom(seed: 28)
        let files = Self.files(&rng, count: fileCount)
        let spill = DiagnosticSpill(threshold: threshold)
        for findings in files { spill.append(findings) }
        var read: [[Diagnostic]] = []
        #expect(spill.forEachFile { read.append($0) })
        #expect(read.count == files.count)
        for (a, b) in zip(read, files) { #expect(Self.sameBytes(a, b)) }
        // Room is left for the cross-file findings the merge appends in place.
        #expect(read.allSatisfy { $0.capacity >= $0.count + ByteReader.crossFileRoom })
    }

    /// A record whose string numbers point past its own strings (where the shared list holds the
    /// strings of other records): malformed, not another record's text.
    @Test func referencesStayInTheirRecord() {
        var w = ByteWriter()
        var strings = SpilledStrings.Writer()
        let d = Diagnostic(rule: "r", severity: .warning, path: "p", line: 1, column: 1, message: "m")
        w.diagnostic(d) { strings.write($1, to: &$0) }
        var list = ["earlier"]
        var recent = RecentStrings()
        var r = ByteReader(w.bytes, range: 0..<w.bytes.count)
        let decoded = r.spilledDiagnostics(1, path: "p", strings: &list, recordStart: 1, recent: &recent)
        #expect(decoded == [d])
        #expect(list == ["earlier", "r", "m"])
        // The message written as "the record's first string" decodes (the control), as "the
        // record's second string", with only one, does not.
        func record(messageReference: UInt64) -> [Diagnostic]? {
            var w = ByteWriter()
            w.varint(0)
            w.string("r")
            w.byte(1)
            for _ in 0..<4 { w.varint(0) }
            w.varint(messageReference)
            w.byte(0)
            var list = ["earlier"]
            var r = ByteReader(w.bytes, range: 0..<w.bytes.count)
            return r.spilledDiagnostics(1, path: "p", strings: &list, recordStart: 1, recent: &recent)
        }
        #expect(record(messageReference: 1)?.map(\.message) == ["r"])
        #expect(record(messageReference: 2) == nil)
    }
}
