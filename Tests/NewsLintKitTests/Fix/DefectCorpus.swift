import Foundation
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// A small deterministic PRNG (SplitMix64) so generated corpora are identical on every run.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) / 10_000 < p }
    mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Generates news documents with a seeded random mix of every defect family, in both
/// scripts, with and without front matter, with LF or CRLF endings.
enum DefectCorpus {
    static let simplified = [
        "学校召开年度工作会议，总结过去一年的工作成绩，部署新一年的重点任务。",
        "会议强调，要坚持以学生为中心，不断提高人才培养质量。",
        "与会代表围绕学科建设、科研创新和社会服务等议题进行了深入交流。",
        "校长在讲话中指出，全体教职工要凝心聚力，推动学校高质量发展。",
        "本次活动吸引了来自全国各地的两百余名师生参加。",
    ]
    static let traditional = [
        "學校召開年度工作會議，總結過去一年的工作成績，部署新一年的重點任務。",
        "會議強調，要堅持以學生為中心，不斷提高人才培養質量。",
        "與會代表圍繞學科建設、科研創新和社會服務等議題進行了深入交流。",
        "校長在講話中指出，全體教職工要凝心聚力，推動學校高質量發展。",
        "本次活動吸引了來自全國各地的兩百餘名師生參加。",
    ]

    /// One defect injector per family; each returns a line (or modifies the paragraph).
    static func paragraph(_ rng: inout SeededRandom, traditionalScript: Bool) -> String {
        var p = rng.pick(traditionalScript ? traditional : simplified)
        switch rng.next() % 12 {
        case 0: p = p.replacingOccurrences(of: "，", with: ",")                    // punctuation width
        case 1: p = p.replacingOccurrences(of: traditionalScript ? "會議" : "会议", with: traditionalScript ? "會議(huì yì)" : "会议(huì yì)") // pinyin artifact
        case 2: p.insert(contentsOf: "\u{200B}", at: p.index(p.startIndex, offsetBy: 3)) // invisible char
        case 3: p = p.replacingOccurrences(of: "日", with: "\u{2F47}") + "今日\u{2F47}程。"  // Kangxi radical
        case 4: p = "\u{00A0}\u{00A0}\u{3000}" + p                                // indented paragraph
        case 5: p += "&nbsp;"                                                      // HTML entity
        case 6: p = traditionalScript ? p.replacingOccurrences(of: "與", with: "与") : p // script leftover
        case 7: p += "  \t"                                                        // trailing whitespace
        case 8: p += traditionalScript ? " è¨˜è€…" : " æ–°é—»"                  // mojibake of 記者 / 新闻 (script-consistent)
        default: break
        }
        return p
    }

    static func document(seed: UInt64) -> (path: String, bytes: [UInt8]) {
        var rng = SeededRandom(seed: seed)
        let traditionalScript = rng.chance(0.4)
        var lines: [String] = []
        let hasFrontMatter = rng.chance(0.7)
        if rng.chance(0.15) { lines += ["", ""] }                                  // leading blank lines
        if hasFrontMatter {
            lines += ["---", "title: 校园新闻\(seed % 97)\(rng.chance(0.2) ? " | news.example.edu.cn" : "")"]
            if rng.chance(0.9) { lines.append("date: 2022-0\(1 + seed % 9)-1\(seed % 9) 08:30:00") }
            lines.append("slug: article-\(seed % 50)")
            if rng.chance(0.5) { lines += ["tags:", "- 校园"] }
            if rng.chance(0.1) { lines.append("tags: [重复]") }                    // duplicate key
            lines.append("---")
        } else if rng.chance(0.5) {
            lines.append(traditionalScript ? "日期:2024-06-14 來源:黨委宣傳部" : "日期:2024-06-14 来源:党委宣传部")
        }
        if rng.chance(0.3) { lines.append("首页 > 新闻中心 > 正文") }                   // breadcrumb
        for i in 0..<(2 + Int(rng.next() % 5)) {
            lines.append(paragraph(&rng, traditionalScript: traditionalScript))
            if i == 0 && rng.chance(0.2) { lines.append("<!--more-->") }
            lines.append("")
        }
        if rng.chance(0.3) { lines.append("![图](images/missing-\(seed).jpg)") }
        if rng.chance(0.3) { lines += ["• 最新内容", "• 相关内容"] }
        if rng.chance(0.3) { lines.append("[转入文章首发地址](http://news.example.edu.cn/info/\(seed).htm)") }
        let newline = rng.chance(0.25) ? "\r\n" : "\n"
        var text = lines.joined(separator: newline)
        if rng.chance(0.7) { text += newline }
        return ("doc-\(seed).md", Array(text.utf8))
    }
}
