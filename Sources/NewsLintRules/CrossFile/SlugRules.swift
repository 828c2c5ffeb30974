import Foundation
import NewsLintCore

/// How a file's slug is resolved: the first configured front-matter key with a non-empty
/// value, else (optionally) the file name as Hugo or Jekyll would derive it.
package struct SlugResolver: Sendable {
    package let keys: [String]
    package let fileName: String // none | hugo | jekyll

    package init(options: RuleOptions) throws {
        keys = options.strings("keys", ["slug", "urlname"])
        if keys.isEmpty && options.string("fileName", "none") == "none" {
            throw RuleOptionError(option: "keys", message: "no slug keys and no fileName fallback: nothing to compare")
        }
        fileName = options.string("fileName", "none")
    }

    /// The resolved slug, the key it came from, and the key's line and column.
    package func resolve(_ document: Document) -> (slug: String, key: String, line: Int, column: Int)? {
        if let fm = document.frontMatter {
            for key in keys {
                if let e = fm.entry(key), let v = e.value.scalarText?.trimmingWhitespaces(), !v.isEmpty {
                    return (v, key, e.line, e.column)
                }
            }
        }
        guard fileName != "none" else { return nil }
        var parts = document.path.split(separator: "/").map(String.init)
        guard var base = parts.popLast() else { return nil }
        if let dot = base.lastIndex(of: "."), dot != base.startIndex { base = String(base[..<dot]) }
        switch fileName {
        case "hugo":
            // Page bundles: content/post/my-article/index.md is served as my-article.
            if base == "index" || base == "_index", let dir = parts.last { base = dir }
        case "jekyll":
            // Posts are named YYYY-MM-DD-title.md; the title part is the slug.
            let u = Array(base.utf8)
            if u.count > 11, u[4] == 0x2D, u[7] == 0x2D, u[10] == 0x2D,
               u[0..<4].allSatisfy({ (0x30...0x39).contains($0) }) {
                base = String(decoding: u[11...], as: UTF8.self)
            }
        default: break
        }
        return base.isEmpty ? nil : (base, "file name", 1, 1)
    }
}

/// `slug-duplicate`: two or more files resolve to the same slug (one would overwrite the
/// other when the site is built). Fact: the slug with its key and line (~50 bytes).
public struct SlugDuplicateRule: CrossFileRule {
    public static let id = "slug-duplicate"
    /// Kept for every file until the reduce phase. Hex digests (`46ea4ddd…`, the slugs of scraped
    /// mirrors) are stored as two words instead of a heap string. The JSON form is unchanged.
    public struct Fact: Codable, Sendable, Equatable {
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
    }
    package let resolver: SlugResolver
    package let caseSensitive: Bool

    public init(options: RuleOptions) throws {
        resolver = try SlugResolver(options: options)
        caseSensitive = options.bool("caseSensitive", false)
    }

    public func collect(_ document: Document) -> Fact? {
        resolver.resolve(document).map { Fact(slug: $0.slug, key: $0.key, line: $0.line, column: $0.column) }
    }

    public func finish(_ facts: [FileFact<Fact>], into sink: inout CrossFileSink) {
        // Folding returns a new string; keep the fact's own when nothing changes (no second copy of 100k slugs).
        // Hex digests are lowercase already; other slugs fold to text (or to a digest: `46EA…` = `46ea…`).
        let groups = ChainGroups(facts.lazy.map { f -> SlugText in
            guard !caseSensitive, case let .text(t) = f.fact.text else { return f.fact.text }
            let folded = t.lowercased()
            return folded == t ? f.fact.text : SlugText(folded)
        })
        for (i, f) in facts.enumerated() {
            let size = groups.size(of: i)
            guard size > 1 else { continue }
            let others = groups.members(of: i).lazy.filter { $0 != i }.map { j in
                facts[j].fact.key == f.fact.key ? facts[j].path : "\(facts[j].path) (\(facts[j].fact.key))"
            }
            sink.report(path: f.path, line: f.fact.line, column: f.fact.column,
                        "slug '\(f.fact.slug)' (from \(f.fact.key)) is also used by \(listing(others, total: size - 1))")
        }
    }
}

/// A slug as stored in a fact: a 32-digit lowercase hex digest in two words, anything else as text.
/// Canonical (a digest is never stored as text), so equality is equality of the slugs.
package enum SlugText: Hashable, Sendable {
    case hex(UInt64, UInt64)
    case text(String)

    package init(_ s: String) {
        var words: (UInt64, UInt64) = (0, 0)
        var n = 0
        for b in s.utf8 {
            let d: UInt8
            switch b {
            case 0x30...0x39: d = b - 0x30
            case 0x61...0x66: d = b - 0x61 + 10
            default: self = .text(s); return
            }
            guard n < 32 else { self = .text(s); return }
            if n < 16 { words.0 = words.0 << 4 | UInt64(d) } else { words.1 = words.1 << 4 | UInt64(d) }
            n += 1
        }
        self = n == 32 ? .hex(words.0, words.1) : .text(s)
    }

    package var string: String {
        switch self {
        case let .text(s): return s
        case let .hex(a, b):
            let digits = Array("0123456789abcdef".utf8)
            var out = [UInt8](repeating: 0, count: 32)
            for i in 0..<16 {
                out[15 - i] = digits[Int(a >> (4 * UInt64(i)) & 0xF)]
                out[31 - i] = digits[Int(b >> (4 * UInt64(i)) & 0xF)]
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}

/// "a, b and 3 more": keeps messages readable for large groups.
package func listing(_ items: [String], limit: Int = 5) -> String {
    listing(items, total: items.count, limit: limit)
}

/// The same from a lazy sequence of `total` names: only the first `limit` are ever formatted,
/// so a group of m members costs O(limit) per member, not O(m) (10k identical stubs stay linear).
package func listing<S: Sequence>(_ names: S, total: Int, limit: Int = 5) -> String where S.Element == String {
    let shown = Array(names.prefix(limit))
    if total <= limit { return shown.joined(separator: ", ") }
    return shown.joined(separator: ", ") + " and \(total - limit) more"
}

/// `slug-invalid`: a slug key that is empty, or holds characters unsafe in a URL path
/// segment, or U+FFFD from a broken decode. Non-ASCII letters are valid (IRIs).
public struct SlugInvalidRule: Rule {
    public static let id = "slug-invalid"
    package let keys: [String]

    public init(options: RuleOptions) {
        keys = options.strings("keys", ["slug", "urlname"])
    }

    /// Bytes unsafe in a path segment: controls, space, and " # % < > ? [ \ ] ^ ` { | } /.
    package static let unsafe: [Bool] = {
        var t = [Bool](repeating: false, count: 128)
        for b in 0..<0x21 { t[b] = true }
        t[0x7F] = true
        for c in "\"#%<>?[\\]^`{|}/".utf8 { t[Int(c)] = true }
        return t
    }()

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard let fm = document.frontMatter else { return }
        for key in keys {
            guard let e = fm.entry(key) else { continue }
            let at = e.valueRange ?? (document.lineStarts[e.line - 1]..<document.lineStarts[e.line - 1])
            switch e.value {
            case .empty:
                sink.report(line: e.line, column: e.column, "'\(key)' is empty")
            case .list, .mapping:
                sink.report(line: e.line, column: e.column, "'\(key)' must be a single string")
            case let .scalar(s, _):
                let v = s.trimmingCharacters(in: .whitespaces)
                if v.isEmpty { sink.report(line: e.line, column: e.column, "'\(key)' is empty"); continue }
                if v.unicodeScalars.contains("\u{FFFD}") {
                    sink.report(at, "'\(key)' contains U+FFFD replacement characters (a broken decode)")
                    continue
                }
                let bytes = Array(v.utf8)
                var i = 0
                while i < bytes.count {
                    let b = bytes[i]
                    if b < 0x80 && Self.unsafe[Int(b)] {
                        // A well-formed %XX escape is fine.
                        if b == 0x25, i + 2 < bytes.count, ImageSource.hex(bytes[i + 1]) != nil, ImageSource.hex(bytes[i + 2]) != nil { i += 3; continue }
                        let shown = b < 0x21 || b == 0x7F ? String(format: "U+%04X", b) : "'\(String(UnicodeScalar(b)))'"
                        sink.report(at, "'\(key)' contains \(shown), unsafe in a URL path")
                        break
                    }
                    i += 1
                }
            }
        }
    }
}
