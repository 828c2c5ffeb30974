import Foundation
import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// Which Chinese script a text is written in, judged from characters whose Simplified
/// and Traditional forms differ.
public enum ScriptClass: String, Sendable, Codable, CaseIterable {
    case simplified, traditional, mixed
    /// Too few distinguishing characters to tell (no Chinese, or only shared characters).
    case undetermined
}

/// Small facts about one file for the corpus profile of `newslint report`. Computed from
/// the parsed `Document` only; never the text itself.
public struct FileProfile: Sendable, Codable, Equatable {
    public var path: String
    public var bytes: Int
    public var hasFrontMatter: Bool
    /// `YYYY-MM-DD` from the front-matter `date`, or from a date in the first body lines.
    public var date: String?
    public var script: ScriptClass
    public var simplifiedChars: Int
    public var traditionalChars: Int
    /// Markdown images (`![alt](src)`) and HTML `<img` tags.
    public var images: Int
    /// Images with an empty source (`![alt]()`).
    public var emptyImages: Int
    public var slug: String?
    /// Hash of the body with all whitespace removed (nil for near-empty bodies).
    public var bodyHash: String?
    /// Unicode scalars of the file: what defect density is measured against.
    public var characters = 0
    /// Where the article comes from: front matter `source`, `site`, …, the article URL's host, or
    /// `categories` (the keys `boilerplate-repeated` groups sites by); nil without any.
    public var source: String?
    /// Lines the report quotes (drill-down examples), by line number.
    public var lines: [Int: String] = [:]

    /// The first directory below the common root of `paths` holding `path` ("." for files at the root).
    package static func directory(_ path: String, root: String) -> String {
        let rest = path.hasPrefix(root) ? path.dropFirst(root.count) : path[...]
        let parts = rest.split(separator: "/", omittingEmptySubsequences: true)
        return parts.count > 1 ? String(parts[0]) : "."
    }

    /// The directory (ending in "/") all `paths` share, or "".
    package static func commonDirectory(_ paths: [String]) -> String {
        guard var prefix = paths.first.map({ String($0[..<($0.lastIndex(of: "/").map { $0 } ?? $0.startIndex)]) }) else { return "" }
        for p in paths.dropFirst() {
            while !prefix.isEmpty && !(p.hasPrefix(prefix + "/")) {
                prefix = prefix.lastIndex(of: "/").map { String(prefix[..<$0]) } ?? ""
            }
            if prefix.isEmpty { break }
        }
        return prefix.isEmpty ? (paths.allSatisfy { $0.hasPrefix("/") } ? "/" : "") : prefix + "/"
    }
}

/// Distinguishes Simplified from Traditional text by counting characters from a table of
/// common pairs whose forms differ. A deliberately small heuristic: the script rule family
/// has the full conversion tables, and `CorpusProfiler.classifier` can be pointed at a
/// better function without touching the report.
public enum ScriptHeuristic {
    /// Pairs "简繁" of frequent characters in news text whose two forms differ.
    package static let pairs = """
    们們 这這 国國 会會 学學 说說 时時 对對 发發 党黨 区區 报報 门門 经經 长長 开開 为為 与與 来來 个個 \
    业業 实實 动動 导導 记記 书書 现現 进進 议議 关關 体體 设設 组組 织織 务務 员員 级級 问問 题題 \
    义義 习習 东東 华華 电電 网網 产產 传傳 广廣 历歷 将將 应應 级級 职職 责責 调調 达達 远遠 还還 \
    运運 过過 边邊 从從 众眾 优優 价價 亿億 仪儀 们們 办辦 务務 动動 劳勞 势勢 单單 卫衛 \
    厅廳 县縣 参參 双雙 变變 号號 图圖 场場 坚堅 执執 声聲 处處 备備 头頭 夺奪 奋奮 宁寧 宝寶 实實 \
    审審 宽寬 对對 寻尋 导導 层層 岁歲 师師 带帶 庆慶 库庫 应應 废廢 开開 张張 强強 归歸 录錄 \
    彻徹 总總 恶惡 悦悅 惊驚 战戰 护護 担擔 拥擁 择擇 挥揮 损損 据據 敌敵 数數 断斷 无無 旧舊 显顯 \
    术術 机機 杂雜 权權 条條 来來 构構 标標 树樹 样樣 检檢 欢歡 气氣 汉漢 沟溝 济濟 测測 湾灣 \
    满滿 灾災 点點 热熱 爱愛 环環 现現 疗療 盖蓋 监監 础礎 确確 积積 称稱 稳穩 穷窮 竞競 \
    笔筆 筑築 类類 纪紀 约約 纯純 纲綱 练練 组組 细細 终終 经經 结結 给給 统統 继繼 绩績 续續 维維 \
    综綜 编編 网網 罗羅 联聯 声聲 职職 胜勝 脑腦 节節 荣榮 获獲 营營 虽雖 补補 装裝 观觀 规規 \
    视視 览覽 觉覺 计計 认認 讨討 让讓 训訓 议議 讲講 论論 设設 访訪 证證 评評 识識 诉訴 词詞 试試 \
    话話 询詢 该該 语語 误誤 读讀 课課 谈談 调調 谋謀 谢謝 贡貢 负負 财財 责責 败敗 货貨 质質 购購 \
    费費 资資 赛賽 赵趙 践踐 车車 转轉 轮輪 软軟 较較 辅輔 辑輯 输輸 边邊 达達 迁遷 运運 还還 这這 \
    进進 远遠 连連 选選 递遞 释釋 钟鐘 铁鐵 银銀 销銷 锋鋒 错錯 键鍵 镇鎮 长長 门門 问問 闻聞 间間 \
    阅閱 队隊 阶階 际際 陆陸 陈陳 险險 随隨 隐隱 难難 页頁 项項 顺順 须須 领領 频頻 题題 额額 风風 \
    飞飛 饭飯 马馬 驱驅 验驗 鱼魚 鸟鳥 齐齊 龙龍 习習 乡鄉 书書 买買 乱亂 亲親 亚亞 产產 众眾 优優 \
    复複 义義 举舉 严嚴 两兩 丰豐 临臨 为為 丽麗 乐樂 乔喬 习習 争爭 亏虧 仅僅 从從 仓倉 们們
    """

    /// BMP scalar → +1 (Simplified form), -1 (Traditional form) or 0. A flat 64 KiB table
    /// built once: one array load per ideograph instead of a hash lookup.
    package static let table: [Int8] = {
        var t = [Int8](repeating: 0, count: 0x10000)
        for word in pairs.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\\" }) {
            let scalars = Array(word.unicodeScalars)
            guard scalars.count == 2, scalars[0] != scalars[1], scalars[0].value < 0x10000, scalars[1].value < 0x10000 else { continue }
            t[Int(scalars[0].value)] = 1
            t[Int(scalars[1].value)] = -1
        }
        return t
    }()

    /// Counts distinguishing characters in UTF-8 bytes (invalid sequences are skipped).
    public static func count(_ bytes: ArraySlice<UInt8>) -> (simplified: Int, traditional: Int) {
        var s = 0, t = 0
        var i = bytes.startIndex
        let end = bytes.endIndex
        let table = Self.table
        while i < end {
            let b = bytes[i]
            // CJK ideographs used here are all 3-byte sequences (lead byte E3–E9).
            if b >= 0xE3 && b <= 0xE9 && i + 2 < end {
                let v = (Int(b & 0x0F) << 12) | (Int(bytes[i + 1] & 0x3F) << 6) | Int(bytes[i + 2] & 0x3F)
                let k = table[v]
                if k > 0 { s += 1 } else if k < 0 { t += 1 }
                i += 3
            } else {
                i += 1
            }
        }
        return (s, t)
    }

    /// Classifies from counts: at least 5 distinguishing characters are needed; a file is
    /// "mixed" when the minority script has more than 10% of them.
    public static func classify(simplified s: Int, traditional t: Int) -> ScriptClass {
        let total = s + t
        if total < 5 { return .undetermined }
        let minority = Double(min(s, t)) / Double(total)
        if minority > 0.10 { return .mixed }
        return s > t ? .simplified : .traditional
    }
}

/// Builds `FileProfile`s.
public enum CorpusProfiler {
    /// The script classifier used by profiles (the script family may offer a better one).
    public typealias Classifier = @Sendable (Document) -> (simplified: Int, traditional: Int)
    public static let defaultClassifier: Classifier = { doc in ScriptHeuristic.count(doc.bytes[doc.bodyStart...]) }

    public static func profile(_ document: Document, classifier: Classifier = defaultClassifier, lines wanted: Set<Int> = []) -> FileProfile {
        let counts = classifier(document)
        let fm = document.frontMatter
        var date = fm?.string("date").flatMap { isoDate(in: Array($0.utf8)[...]) }
        if date == nil { date = fileNameDate(document.path) }
        if date == nil, let body = document.bodyLines {
            for n in body.prefix(5) {
                if let d = isoDate(in: document.lineBytes(n)) { date = d; break }
            }
        }
        let (images, empty) = countImages(document)
        let slug = fm?.string("slug").flatMap { $0.isEmpty ? nil : $0 }
        var profile = FileProfile(path: document.path, bytes: document.bytes.count, hasFrontMatter: fm != nil,
                                  date: date, script: ScriptHeuristic.classify(simplified: counts.simplified, traditional: counts.traditional),
                                  simplifiedChars: counts.simplified, traditionalChars: counts.traditional,
                                  images: images, emptyImages: empty, slug: slug, bodyHash: bodyHash(document))
        var scalars = 0
        for b in document.bytes where b & 0xC0 != 0x80 { scalars += 1 }
        profile.characters = scalars
        profile.source = source(fm)
        for n in wanted where n >= 1 && n <= document.lineCount { profile.lines[n] = document.lineText(n) }
        return profile
    }

    /// The site of a file as `boilerplate-repeated` groups it, without the key it came from.
    package static func source(_ frontMatter: FrontMatter?) -> String? {
        let site = RepeatedLineKey.site(frontMatter, keys: RepeatedLineKey.defaultGroupKeys)
        guard site != "corpus", let colon = site.firstIndex(of: ":") else { return nil }
        let value = String(site[site.index(after: colon)...])
        return value.isEmpty ? nil : value
    }

    /// A date the file name starts with (`2024-11-01-title.md`).
    package static func fileNameDate(_ path: String) -> String? {
        CalendarDate.fileNamePrefix(path)?.isoDay
    }

    /// The profile as the lint pass computes it (`LintSettings.documentProfiler`).
    public static let documentProfiler: DocumentProfiler = { profile($0) }

    /// Reads and profiles inputs in parallel (unreadable or binary files are left out).
    public static func profile(_ inputs: [LintInput], baseDirectory: String, maxSize: Int, jobs: Int, lines: [String: Set<Int>] = [:]) -> [FileProfile] {
        parallelMap(count: inputs.count, jobs: jobs) { i -> FileProfile? in
            let bytes: [UInt8]
            switch inputs[i] {
            case let .text(_, b): bytes = b
            case let .file(p):
                guard case let .bytes(b) = FileReader.read(PathResolver.absolute(p, base: baseDirectory), maxSize: maxSize) else { return nil }
                bytes = b
            }
            if FileReader.binaryReason(bytes) != nil { return nil }
            return profile(Document(path: inputs[i].path, bytes: bytes), lines: lines[inputs[i].path] ?? [])
        }.compactMap { $0 }
    }

    /// The first date written in `bytes`, as `YYYY-MM-DD`.
    package static func isoDate(in bytes: ArraySlice<UInt8>) -> String? {
        CalendarDate.first(in: bytes)?.isoDay
    }

    /// Images as the image rules see them (same scanner: code and comments skipped); an image
    /// without a usable source counts as empty.
    package static func countImages(_ document: Document) -> (Int, Int) {
        let links = ImageScanner.scan(document)
        return (links.count, links.filter { $0.source.map { $0.isEmpty } ?? true }.count)
    }

    /// The body fingerprint `content-duplicate` uses, so the report's groups agree with the rule.
    package static func bodyHash(_ document: Document) -> String? {
        let (hash, length) = normalizedBodyHash(document)
        return length >= 20 ? StableHash.hex(hash) : nil
    }
}

/// The corpus profile gathered from the lint pass (`CorpusProfiler.documentProfiler`), in input
/// order. Files the pass did not read (cache hits) are profiled at the end, so every file is read
/// at most once per run; only the lines a report quotes are read back, from the files it quotes.
public struct PassProfiles {
    private enum Entry {
        case profiled(FileProfile)
        case unread(String)
    }
    private var entries: [Entry] = []

    public init() {}

    /// Adds a delivered outcome. Files skipped or unreadable in the pass (no bytes) have no profile.
    public mutating func add(_ outcome: FileOutcome) {
        if let p = outcome.profile as? FileProfile {
            entries.append(.profiled(p))
        } else if outcome.byteCount > 0 {
            entries.append(.unread(outcome.path))
        }
    }

    /// The profiles; `lines`: lines to quote, by path (read back from those files only).
    public func finish(baseDirectory: String, maxSize: Int, jobs: Int, lines: [String: Set<Int>] = [:]) -> [FileProfile] {
        let unread = entries.compactMap { e -> LintInput? in if case let .unread(p) = e { return .file(p) } else { return nil } }
        var read = CorpusProfiler.profile(unread, baseDirectory: baseDirectory, maxSize: maxSize, jobs: jobs, lines: lines)[...]
        var out: [FileProfile] = []
        out.reserveCapacity(entries.count)
        for e in entries {
            switch e {
            case var .profiled(p):
                if let wanted = lines[p.path], !wanted.isEmpty { p.lines = CorpusProfiler.quotedLines(p.path, wanted, baseDirectory: baseDirectory, maxSize: maxSize) }
                out.append(p)
            case let .unread(path):
                if let p = read.first, p.path == path { out.append(p); read = read.dropFirst() }
            }
        }
        return out
    }
}

extension CorpusProfiler {
    /// Lines `wanted` of one file, read back for a report's quotes.
    package static func quotedLines(_ path: String, _ wanted: Set<Int>, baseDirectory: String, maxSize: Int) -> [Int: String] {
        guard case let .bytes(b) = FileReader.read(PathResolver.absolute(path, base: baseDirectory), maxSize: maxSize) else { return [:] }
        let document = Document(path: path, bytes: b)
        var out: [Int: String] = [:]
        for n in wanted where n >= 1 && n <= document.lineCount { out[n] = document.lineText(n) }
        return out
    }
}
