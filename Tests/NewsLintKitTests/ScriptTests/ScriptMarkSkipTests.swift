import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `punctuation-width` asks what keeps a mark out only at its candidate marks, each whole-line fact
/// made when first needed (`MarkSkip.swift`): its findings and fixes against the whole-line check
/// it replaced (`PunctuationWidthReference`), and each walk against the whole-line mask it stands for.
@Suite struct ScriptMarkSkipTests {
    /// Han text, the ASCII marks, quotes and titles, spaces, digits, Latin words, half-width kana,
    /// `?` runs, mojibake-looking text (frame shifts, Shift-JIS residue, Latin-1, U+FFFD), and
    /// HTML-ish and Markdown-ish markup (tags across lines, attributes, scripts, comments, code
    /// spans, link destinations, URLs).
    static let pieces = [
        "中文", "新聞", "香港", "台灣", "我們", "報導", "李伟", "哈利", "", "", "",
        ",", ".", ";", ":", "?", "!", "(", ")", ", ", ". ", "?!", "!!", "??", "?!?", "...", "::",
        "「", "」", "“", "”", "《", "》", "〈", "〉", "『", "』", "（", "）", "，", "。", "！", "？", "：", "；",
        " ", "  ", "\t", "\u{A0}", "\u{3000}", "1", "10", "3.5", "10:30", "1,000", "2024",
        "abc", "Interpol", "B超", "A股", "U.S.", "hello world", "qū", "(qū)", "háng",
        "é", "𠀀", "《書名》", "「名字」", "“引”", "「香港股票基金(追蹤指數)」", "“欲筑室者,先治其基”", "《條例》(第117章)",
        "<p>", "</p>", "<a href=\"http://x.cn/a?b=1\">", "</a>", "<img alt=\"中文,中文\"", " title='引,文'>", ">", "<",
        "<script>", "</script>", "var a=(1,2);", "<!-- 中,文 -->", "<!--", "-->", "<br/>", "<b>", "</b>", "&amp;", "&#20013;",
        "<address>", "</address>", "王小明, 李大", "AMY CHANG, ", "`", "``", "`(中)`", "](", "[x](y)", "![x](y)",
        "http://a.b/c?d", "https://x.cn/中", "www.x.com", "mailto:a@b.c", "ftp://f", "hfwm",
        "(中文)", "(Interpol),", "(周二)", "(音)", " (路透)", "(第32章)", "嗎?", "呢?", "香港?報",
        "{% post_url 2024-11-01-香港,新聞 %}", "{{ 中,文 }}", "{%", "%}", "{{", "}}",
    ]

    /// Pieces around ASCII quotes: quotes after and before Han text, in attributes and code
    /// spans, inch marks, full-width quotes and corner brackets, block and inline tags.
    static let quotePieces = [
        "中文", "新聞", "，", "。", "：", "\"", "\"", "文\"", "\"中", "\"中文\"", "6.1\"", "`\"中\"`", "<a title=\"中\">", "</a>",
        "<p>", "</p>", "<b>", "</b>", "<br>", "“", "”", "「", "」", " ", "abc", "\"abc\"", "(中文)", ",", "?", "\u{FFFD}",
    ]

    /// Quote pairs (`QuotePairs`) asked from the rule's candidate marks against the whole-line check.
    @Test func quotePairsMatchTheWholeLineCheck() {
        var random = SeededRandom(seed: 5101)
        var found = 0, unsafe = 0
        for k in 0..<1500 {
            var text = ""
            for _ in 0..<(1 + random.below(3)) {
                for _ in 0..<random.below(30) { text += Self.quotePieces[random.below(Self.quotePieces.count)] }
                text += "\n"
            }
            let (fast, reference) = Self.bothChecks(Document(path: k % 2 == 0 ? "m.html" : "m.md", text: text))
            #expect(fast == reference, "\(text)")
            let quotes = reference.filter { $0.message.hasPrefix("ASCII quotes") }
            found += quotes.count
            unsafe += quotes.filter { $0.fix?.applicability == .unsafe }.count
        }
        #expect(found > 200 && unsafe > 20, "\(found) \(unsafe)")
    }

    /// Encoding damage, in one document of four: a line with any gets no fixes.
    static let damage = ["ｱｲ", "ｺﾝ", "ｱ", "閨槫?ｱ驕", "?ｼ壺?懈", "學?!半p一流”", "中?b文", "\u{FFFD}", "锟斤拷", "Ã©", "ä¸­æ–‡"]

    static func randomText(_ random: inout SeededRandom, lines: Int) -> String {
        let damaged = random.below(4) == 0
        var text = ""
        for _ in 0..<lines {
            for _ in 0..<random.below(40) {
                text += damaged && random.below(12) == 0 ? damage[random.below(damage.count)] : pieces[random.below(pieces.count)]
            }
            text += random.below(6) == 0 ? "\r\n" : "\n"
        }
        return text
    }

    /// The rule's findings and fixes on every line of `document`, and the reference's.
    static func bothChecks(_ document: Document) -> (fast: [Diagnostic], reference: [Diagnostic]) {
        let rule = PunctuationWidthRule(options: RuleOptions())
        let decode = document.scalars
        var fast: [Diagnostic] = [], reference: [Diagnostic] = []
        for n in stride(from: 1, through: document.lineCount, by: 1) {
            let run = document.scalarRun(decode, line: n)
            var fastSink = DiagnosticSink(document: document, rule: "punctuation-width", severity: .warning, readsProse: true)
            var referenceSink = DiagnosticSink(document: document, rule: "punctuation-width", severity: .warning, readsProse: true)
            rule.checkLine(run, in: document, allInBMP: decode.allInBMP, into: &fastSink)
            PunctuationWidthReference.checkLine(run, in: document, allInBMP: decode.allInBMP, into: &referenceSink)
            fast += fastSink.diagnostics
            reference += referenceSink.diagnostics
        }
        return (fast, reference)
    }

    @Test func checkLineMatchesTheWholeLineCheck() {
        var random = SeededRandom(seed: 3701)
        var found = 0, unfixed = 0, unsafe = 0, parentheses = 0, runs = 0
        for k in 0..<2500 {
            let text = Self.randomText(&random, lines: 1 + random.below(4))
            var bytes = Array(text.utf8)
            // Ill-formed bytes now and then: a cut sequence, a stray continuation, an overlong form.
            if k % 7 == 0, !bytes.isEmpty {
                let bad: [[UInt8]] = [[0xE4, 0xB8], [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF]]
                bytes.insert(contentsOf: bad[random.below(bad.count)], at: random.below(bytes.count))
            }
            let document = Document(path: k % 2 == 0 ? "m.html" : "m.md", bytes: bytes)
            let (fast, reference) = Self.bothChecks(document)
            #expect(fast == reference, "\(String(decoding: bytes, as: UTF8.self))")
            found += reference.count
            unfixed += reference.filter { $0.fix == nil }.count
            unsafe += reference.filter { $0.fix?.applicability == .unsafe }.count
            parentheses += reference.filter { $0.message.hasPrefix("ASCII parentheses") }.count
            runs += reference.filter { $0.message.contains("?!") || $0.message.contains("!!") }.count
        }
        // Every branch is reached: findings without a fix (damage), unsafe fixes, pairs, runs.
        #expect(found > 5_000, "\(found)")
        #expect(unfixed > 300 && unsafe > 50 && parentheses > 300 && runs > 100, "\(unfixed) \(unsafe) \(parentheses) \(runs)")
    }

    /// Lines dense in parentheses of both widths, beside what keeps a mark out (titles, quoted
    /// names, code spans, link destinations, URLs, tags, Liquid, frame shifts): the rule pairs on
    /// one stack only where a mixed pair can form among the marks its cheap tests keep, and asks
    /// the walks only there; the reference pairs every line on one stack with the whole-line mask.
    /// The trap: a `）(` kept out (in a code span) inside `（…)` hides a real mixed pair.
    @Test func mixedParenthesesMatchTheWholeLineCheck() {
        let pieces = [
            "(", ")", "（", "）", "(", ")", "（", "）", "中文", "香港", "Sumy", " ", "，", "。", ",",
            "「", "」", "《", "》", "“", "”", "`", "`）(`", "`(`", "[x](y)", "](", "http://a.b/c(d)", "https://x.cn/（中）",
            "<a href=\"(x)\">", "</a>", "<b>", "<", ">", "{{ (中) }}", "{%", "%}", "《書（名）》", "「名(字)」", "中?b文",
        ]
        var random = SeededRandom(seed: 3706)
        var mixed = 0, fixedMixed = 0, unfixedMixed = 0
        for k in 0..<3000 {
            var text = ""
            for _ in 0..<(1 + random.below(3)) {
                for _ in 0..<random.below(30) { text += pieces[random.below(pieces.count)] }
                text += "\n"
            }
            let document = Document(path: k % 2 == 0 ? "m.html" : "m.md", text: text)
            let (fast, reference) = Self.bothChecks(document)
            #expect(fast == reference, "\(text)")
            let mixedFound = reference.filter { $0.message.hasPrefix("parentheses of mixed widths") }
            mixed += mixedFound.count
            fixedMixed += mixedFound.filter { $0.fix != nil }.count
            unfixedMixed += mixedFound.filter { $0.fix == nil }.count
        }
        #expect(mixed > 1_000 && fixedMixed > 150 && unfixedMixed > 200, "\(mixed) \(fixedMixed) \(unfixedMixed)")
    }

    /// The rule's `check` (each line's walk starts at the mark `firstReportable` finds in its
    /// bytes) against the reference on every body line outside code.
    @Test func checkMatchesTheWholeLineCheckOnEveryLine() {
        var random = SeededRandom(seed: 3705)
        var found = 0
        for k in 0..<1500 {
            var text = Self.randomText(&random, lines: 1 + random.below(5))
            if k % 4 == 0 { text = "---\ntitle: 中,文\n---\n" + text }
            if k % 5 == 0 { text += "```\n中,文(中)\n```\n" + Self.randomText(&random, lines: 1) }
            let document = Document(path: k % 2 == 0 ? "m.html" : "m.md", text: text)
            var sink = DiagnosticSink(document: document, rule: "punctuation-width", severity: .warning, readsProse: true)
            PunctuationWidthRule(options: RuleOptions()).check(document, into: &sink)
            var referenceSink = DiagnosticSink(document: document, rule: "punctuation-width", severity: .warning, readsProse: true)
            let decode = document.scalars
            for n in document.bodyLines.map(Array.init) ?? [] where !document.isCode(line: n) {
                PunctuationWidthReference.checkLine(document.scalarRun(decode, line: n), in: document, allInBMP: decode.allInBMP, into: &referenceSink)
            }
            #expect(sink.diagnostics == referenceSink.diagnostics, "\(text)")
            found += referenceSink.diagnostics.count
        }
        #expect(found > 3_000, "\(found)")
    }

    /// The rule's own examples and the gold set's excerpts of real news text, as Markdown and HTML.
    @Test func checkLineMatchesTheWholeLineCheckOnRealText() throws {
        var texts = EmbeddedCatalog.files.filter { $0.path.hasPrefix("script/punctuation-width/examples/") && !$0.path.hasSuffix(".json") }.map(\.text)
        let gold = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/gold/punctuation-width.jsonl"), encoding: .utf8)
        for line in gold.split(separator: "\n") {
            let entry = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            if let excerpt = entry?["excerpt"] as? String { texts.append(excerpt) }
        }
        #expect(texts.count > 150)
        var found = 0
        for text in texts {
            for path in ["m.md", "m.html"] {
                let (fast, reference) = Self.bothChecks(Document(path: path, text: text))
                #expect(fast == reference, "\(path): \(text)")
                found += reference.count
            }
        }
        #expect(found > 200, "\(found)")
    }

    /// Each scalar `NonProseWalk` and `TitleWalk` are asked about, in the order the rule asks
    /// (forward, with the pairing's look ahead and the walk's look back), against the whole-line
    /// masks: `ProseMask.nonProse` and the reference's `titlesAndQuotedNames`.
    @Test func walksMatchTheWholeLineMasks() {
        var random = SeededRandom(seed: 3702)
        var masked = 0, titled = 0
        for k in 0..<1500 {
            var text = Self.randomText(&random, lines: 1)
            // Quotations about the 24-scalar bound of a name, some with punctuation of their own.
            if k % 3 == 0 {
                for _ in 0..<4 {
                    let (open, close) = [("「", "」"), ("“", "”"), ("《", "》"), ("『", "』"), ("〈", "〉")][random.below(5)]
                    let inner = (0..<(20 + random.below(9))).map { _ in random.below(30) == 0 ? "," : "文" }.joined()
                    text = open + inner + close + text
                }
            }
            let document = Document(path: "m.md", text: text)
            let run = document.scalarRun(document.scalars, line: 1)
            let c = run.cps
            let prose = ProseMask.nonProse(run)
            var titleMask = [Bool](repeating: false, count: c.count)
            for span in PunctuationWidthReference.titlesAndQuotedNames(c) { for i in span { titleMask[i] = true } }
            // Mostly forward, sometimes back or far ahead.
            var asked: [Int] = []
            var p = 0
            while p < c.count {
                asked.append(p)
                if random.below(8) == 0 { asked.append(random.below(c.count)) }
                p += 1 + random.below(6)
            }
            var walk = NonProseWalk(), titles = TitleWalk()
            c.withUnsafeElements { buf in
                for p in asked {
                    #expect(walk.masks(p, buf, c) == prose[p], "\(p) in \(c.map { String(UnicodeScalar($0).map(Character.init) ?? "?") }.joined())")
                    #expect(titles.covers(p, buf) == titleMask[p], "\(p)")
                }
            }
            masked += prose.filter { $0 }.count
            titled += titleMask.filter { $0 }.count
        }
        #expect(masked > 10_000 && titled > 2_000, "\(masked) \(titled)")
    }

    /// `HTMLView.hides(offset:)` at each scalar of each line against `forEachHiddenRange`'s ranges.
    @Test func hiddenScalarsMatchTheHiddenRanges() {
        var random = SeededRandom(seed: 3703)
        var hidden = 0, shown = 0
        for k in 0..<600 {
            var text = Self.randomText(&random, lines: 1 + random.below(5))
            if k % 3 == 0 { text = "---\ntitle: 中,文\n---\n" + text }   // front matter: before the tokenized range
            let document = Document(path: "m.html", text: text)
            let html = document.html
            let decode = document.scalars
            for n in stride(from: 1, through: document.lineCount, by: 1) {
                let run = document.scalarRun(decode, line: n)
                var mask = [Bool](repeating: false, count: run.count)
                html.forEachHiddenRange(run) { r in for i in r { mask[i] = true } }
                for i in 0..<run.count {
                    #expect(html.hides(offset: run.offsets[i]) == mask[i], "line \(n), scalar \(i): \(text)")
                }
                hidden += mask.filter { $0 }.count
                shown += mask.filter { !$0 }.count
            }
        }
        #expect(hidden > 10_000 && shown > 10_000, "\(hidden) \(shown)")
    }

    /// `candidateMarks` holds every mark of the line `mayReport`'s walk stops at (`isCandidate`), and no other scalar.
    @Test func candidateMarksAreTheByteWalksStops() {
        var random = SeededRandom(seed: 3704)
        var candidates = 0
        for _ in 0..<800 {
            let document = Document(path: "m.md", text: Self.randomText(&random, lines: 3))
            let decode = document.scalars
            for n in stride(from: 1, through: document.lineCount, by: 1) {
                let run = document.scalarRun(decode, line: n)
                let lower = run.offsets[0]
                let expected = document.bytes.withUnsafeBufferPointer { buf in
                    (0..<run.count).filter { i in
                        run.cps[i] < 0x80 && PunctuationWidthRule.isCandidate(buf, run.offsets[i], lower: lower, end: run.offsets[run.count])
                    }
                }
                #expect(PunctuationWidthRule.candidateMarks(run, document.bytes) == expected)
                candidates += expected.count
            }
        }
        #expect(candidates > 5_000, "\(candidates)")
    }
}
