import Foundation
import NewsLintCore

/// `slug-duplicate`: two or more files resolve to the same slug (one would overwrite the
/// other when the site is built). Fact: the slug with its key and line (~50 bytes).
public struct SlugDuplicateRule: CrossFileRule, RuleWithOptions {
    public static let id = "slug-duplicate"
    /// Kept for every file until the reduce phase. Hex digests (`46ea4ddd…`, the slugs of scraped
    /// mirrors) are stored as two words instead of a heap string. The JSON form is unchanged.
    public struct Fact: Codable, Sendable, Equatable, FactRecord {
        package var text: SlugText
        public var key: String
        private var line32: UInt32
        private var column32: UInt32

        public init(slug: String, key: String, line: Int, column: Int) {
            text = SlugText(slug)
            self.key = key
            line32 = UInt32(clamping: line)
            column32 = UInt32(clamping: column)
        }

        public var slug: String { text.string }
        public var line: Int { Int(line32) }
        public var column: Int { Int(column32) }

        package enum CodingKeys: String, CodingKey { case slug, key, line, column }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            text = SlugText(try c.decode(String.self, forKey: .slug))
            key = try c.decode(String.self, forKey: .key)
            line32 = try c.decode(UInt32.self, forKey: .line)
            column32 = try c.decode(UInt32.self, forKey: .column)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(slug, forKey: .slug)
            try c.encode(key, forKey: .key)
            try c.encode(line, forKey: .line)
            try c.encode(column, forKey: .column)
        }

        public func write(to record: inout FactRecordWriter) {
            record.string(slug)
            record.string(key)
            record.fixed32(line32)
            record.fixed32(column32)
        }

        public init(record: inout FactRecordReader) throws {
            text = SlugText(try record.string())
            key = try record.string()
            line32 = try record.fixed32()
            column32 = try record.fixed32()
        }
    }
    package let resolver: SlugResolver
    package let caseSensitive: Bool

    public struct Options: Decodable, Sendable {
        package var keys: [String]
        package var fileName: String
        package var caseSensitive: Bool
    }

    /// A finding on a file points at its fact's line.
    public static func quotedLine(of fact: Fact) -> Int? { fact.line }

    public init(options: RuleOptions) throws {
        let o = try Self.decodeOptions(options)
        resolver = try SlugResolver(keys: o.keys, fileName: o.fileName)
        caseSensitive = o.caseSensitive
    }

    public func collect(_ document: Document) -> Fact? {
        resolver.resolve(document).map { Fact(slug: $0.slug, key: $0.key, line: $0.line, column: $0.column) }
    }

    public func finish(_ facts: FactTable<Fact>, into sink: inout CrossFileSink) {
        // Folding returns a new string; keep the fact's own when nothing changes (no second copy of 100k slugs).
        // Hex digests are lowercase already; other slugs fold to text (or to a digest: `46EA…` = `46ea…`).
        // Each record's slug read (`recordedFact`); paths and whole facts are read again for the
        // files of a group only. Facts by index.
        let groups = ChainGroups(facts.indices.lazy.map { i -> SlugText in
            let text = facts.recordedFact(i).text
            guard !caseSensitive, case let .text(t) = text else { return text }
            let folded = t.lowercased()
            return folded == t ? text : SlugText(folded)
        })
        for i in facts.indices {
            let size = groups.size(of: i)
            guard size > 1 else { continue }
            let f = facts[i]
            let others = groups.members(of: i).lazy.filter { $0 != i }.map { j in
                let other = facts[j]
                return other.fact.key == f.fact.key ? other.path : "\(other.path) (\(other.fact.key))"
            }
            sink.report(path: f.path, line: f.fact.line, column: f.fact.column,
                        "slug '\(f.fact.slug)' (from \(f.fact.key)) is also used by \(listing(others, total: size - 1))")
        }
    }
}
