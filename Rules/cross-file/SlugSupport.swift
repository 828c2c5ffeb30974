import Foundation
import NewsLintCore

/// How a file's slug is resolved: the first configured front-matter key with a non-empty
/// value, else (optionally) the file name as Hugo or Jekyll would derive it.
package struct SlugResolver: Sendable {
    package let keys: [String]
    /// `keys`, looked up by their common-key ids (`FrontMatterKey`).
    private let lookupKeys: [FrontMatterKey]
    package let fileName: String // none | hugo | jekyll

    package init(keys: [String], fileName: String) throws {
        if keys.isEmpty && fileName == "none" {
            throw RuleOptionError(option: "keys", message: "no slug keys and no fileName fallback: nothing to compare")
        }
        self.keys = keys
        lookupKeys = keys.map(FrontMatterKey.init)
        self.fileName = fileName
    }

    /// The resolved slug, the key it came from, and the key's line and column.
    package func resolve(_ document: Document) -> (slug: String, key: String, line: Int, column: Int)? {
        if let fm = document.frontMatter {
            for key in lookupKeys {
                if let e = fm.entry(key), let v = e.value.scalarText?.trimmingWhitespaces(), !v.isEmpty {
                    return (v, key.name, e.line, e.column)
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
