import Foundation

/// `boilerplate-repeated`: a non-trivial line that appears verbatim in many files of the
/// same site is residue (a footer, a slogan, a sidebar heading no pattern pack knows).
/// Facts are line hashes only; `newslint learn` reads the text back for the lines it writes.
public struct BoilerplateRepeatedRule: CrossFileRule {
    public static let id = "boilerplate-repeated"

    public struct Fact: Codable, Sendable {
        /// Site the file belongs to: `source:<front-matter source>` or `dir:<directory>`.
        public var group: String
        /// Hash of each distinct qualifying line, with the line number of its first occurrence.
        public var hashes: [UInt64]
        public var lines: [Int]
    }

    let minLength: Int
    let minWords: Int
    let minFiles: Int
    let minShare: Double
    let groupKeys: [String]

    public init(options: RuleOptions) throws {
        minLength = options.int("minLength", 8)
        minWords = options.int("minWords", 4)
        minFiles = options.int("minFiles", 5)
        minShare = options.double("minShare", 0.1)
        groupKeys = options.strings("groupBy", ["source", "domain"])
        guard minFiles >= 2 else { throw RuleOptionError(option: "minFiles", message: "expected at least 2 (a line in one file is not repeated)") }
        guard minShare > 0, minShare <= 1 else { throw RuleOptionError(option: "minShare", message: "expected a share in (0, 1]") }
    }

    /// The trimmed byte range of line `n` when it qualifies, else nil.
    func qualifyingRange(_ document: Document, _ n: Int) -> Range<Int>? {
        if document.isCode(line: n) { return nil }
        let b = document.bytes
        let r = document.contentRange(ofLine: n)
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi, case let l = TextScan.spaceLength(b, lo, hi), l > 0 { lo += l }
        while hi > lo && (b[hi - 1] == 0x20 || b[hi - 1] == 0x09 || (hi - lo >= 2 && b[hi - 2] == 0xC2 && b[hi - 1] == 0xA0)) {
            hi -= b[hi - 1] == 0xA0 ? 2 : 1
        }
        // Section headings (`## 本周重点`) recur across the articles of a series: structure, not residue.
        // A level-1 heading can be a scraped site banner, so it still counts.
        if hi - lo >= 3, b[lo] == UInt8(ascii: "#"), b[lo + 1] == UInt8(ascii: "#") {
            var k = lo
            while k < hi && b[k] == UInt8(ascii: "#") { k += 1 }
            if k - lo <= 6, k < hi, b[k] == 0x20 || b[k] == 0x09 { return nil }
        }
        guard hi > lo, TextScan.scalarCount(b, lo..<hi) >= minLength,
              TextScan.residualWords(b, lo..<hi, excluding: [], limit: minWords) >= minWords else { return nil }
        return lo..<hi
    }

    public func collect(_ document: Document) -> Fact? {
        var group = "dir:" + (document.path as NSString).deletingLastPathComponent
        if let fm = document.frontMatter {
            for k in groupKeys { if let v = fm.string(k), !v.isEmpty { group = "\(k):\(v)"; break } }
        }
        var seen = Set<UInt64>()
        var fact = Fact(group: group, hashes: [], lines: [])
        guard let body = document.bodyLines else { return fact }
        for n in body {
            guard let r = qualifyingRange(document, n) else { continue }
            let h = StableHash.fnv1a64(document.bytes[r])
            if seen.insert(h).inserted {
                fact.hashes.append(h)
                fact.lines.append(n)
            }
        }
        return fact
    }

    /// Hashes that repeat in enough files of their group: (group, hash) → file count and group size.
    func repeatedLines(_ facts: [FileFact<Fact>]) -> [String: [UInt64: (count: Int, total: Int)]] {
        var sizes: [String: Int] = [:]
        var counts: [String: [UInt64: Int]] = [:]
        for f in facts {
            sizes[f.fact.group, default: 0] += 1
            for h in f.fact.hashes { counts[f.fact.group, default: [:]][h, default: 0] += 1 }
        }
        var out: [String: [UInt64: (Int, Int)]] = [:]
        for (group, hashes) in counts {
            let total = sizes[group] ?? 0
            for (h, n) in hashes where n >= minFiles && Double(n) / Double(max(total, 1)) >= minShare {
                out[group, default: [:]][h] = (n, total)
            }
        }
        return out
    }

    public func finish(_ facts: [FileFact<Fact>], into sink: inout CrossFileSink) {
        let repeated = repeatedLines(facts)
        for f in facts {
            guard let hits = repeated[f.fact.group] else { continue }
            for (h, line) in zip(f.fact.hashes, f.fact.lines) {
                guard let r = hits[h] else { continue }
                let group = f.fact.group.hasPrefix("dir:") ? "files in '\(f.fact.group.dropFirst(4).isEmpty ? "." : String(f.fact.group.dropFirst(4)))'" : "files with \(f.fact.group.replacingOccurrences(of: ":", with: " '"))'"
                sink.report(path: f.path, line: line, "line repeats verbatim in \(r.count) of \(r.total) \(group) (site residue; 'newslint learn' turns such lines into a rule pack)")
            }
        }
    }
}
