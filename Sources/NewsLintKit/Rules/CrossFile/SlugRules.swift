import Foundation

/// How a file's slug is resolved: the first configured front-matter key with a non-empty
/// value, else (optionally) the file name as Hugo or Jekyll would derive it.
struct SlugResolver: Sendable {
    let keys: [String]
    let fileName: String // none | hugo | jekyll

    init(options: RuleOptions) throws {
        keys = options.strings("keys", ["slug", "urlname"])
        if keys.isEmpty && options.string("fileName", "none") == "none" {
            throw RuleOptionError(option: "keys", message: "no slug keys and no fileName fallback: nothing to compare")
        }
        fileName = options.string("fileName", "none")
    }

    /// The resolved slug, the key it came from, and the key's line and column.
    func resolve(_ document: Document) -> (slug: String, key: String, line: Int, column: Int)? {
        if let fm = document.frontMatter {
            for key in keys {
                if let e = fm.entry(key), let v = e.value.scalarText?.trimmingCharacters(in: .whitespaces), !v.isEmpty {
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
    public struct Fact: Codable, Sendable, Equatable {
        public var slug: String
        public var key: String
        public var line: Int
        public var column: Int
    }
    let resolver: SlugResolver
    let caseSensitive: Bool

    public init(options: RuleOptions) throws {
        resolver = try SlugResolver(options: options)
        caseSensitive = options.bool("caseSensitive", false)
    }

    public func collect(_ document: Document) -> Fact? {
        resolver.resolve(document).map { Fact(slug: $0.slug, key: $0.key, line: $0.line, column: $0.column) }
    }

    public func finish(_ facts: [FileFact<Fact>], into sink: inout CrossFileSink) {
        // Folding returns a new string; keep the fact's own when nothing changes (no second copy of 100k slugs).
        let groups = ChainGroups(facts.lazy.map { f -> String in
            if caseSensitive { return f.fact.slug }
            let folded = f.fact.slug.lowercased()
            return folded == f.fact.slug ? f.fact.slug : folded
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

/// "a, b and 3 more": keeps messages readable for large groups.
func listing(_ items: [String], limit: Int = 5) -> String {
    listing(items, total: items.count, limit: limit)
}

/// The same from a lazy sequence of `total` names: only the first `limit` are ever formatted,
/// so a group of m members costs O(limit) per member, not O(m) (10k identical stubs stay linear).
func listing<S: Sequence>(_ names: S, total: Int, limit: Int = 5) -> String where S.Element == String {
    let shown = Array(names.prefix(limit))
    if total <= limit { return shown.joined(separator: ", ") }
    return shown.joined(separator: ", ") + " and \(total - limit) more"
}

/// `slug-invalid`: a slug key that is empty, or holds characters unsafe in a URL path
/// segment, or U+FFFD from a broken decode. Non-ASCII letters are valid (IRIs).
public struct SlugInvalidRule: Rule {
    public static let id = "slug-invalid"
    let keys: [String]

    public init(options: RuleOptions) {
        keys = options.strings("keys", ["slug", "urlname"])
    }

    /// Bytes unsafe in a path segment: controls, space, and " # % < > ? [ \ ] ^ ` { | } /.
    static let unsafe: [Bool] = {
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
