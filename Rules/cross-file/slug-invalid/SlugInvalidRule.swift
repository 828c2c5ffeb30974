import Foundation
import NewsLintCore

/// `slug-invalid`: a slug key that is empty, or holds characters unsafe in a URL path
/// segment, or U+FFFD from a broken decode. Non-ASCII letters are valid (IRIs).
public struct SlugInvalidRule: Rule, RuleWithOptions {
    public static let id = "slug-invalid"
    /// The keys checked, looked up by their common-key ids: by string, the two default keys cost
    /// ~250 instructions each in every file, most of them answering that the key is not there.
    private let keys: [FrontMatterKey]

    public struct Options: Decodable, Sendable { var keys: [String] }

    public init(options: RuleOptions) throws {
        keys = try Self.decodeOptions(options).keys.map(FrontMatterKey.init)
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
        for lookupKey in keys {
            guard let e = fm.entry(lookupKey) else { continue }
            let key = lookupKey.name
            let at = e.valueRange ?? (document.lineStarts[e.line - 1]..<document.lineStarts[e.line - 1])
            switch e.value {
            case .empty:
                sink.report(line: e.line, column: e.column, "'\(key)' is empty")
            case .list, .mapping:
                sink.report(line: e.line, column: e.column, "'\(key)' must be a single string")
            case let .scalar(s, _):
                let v = s.trimmingWhitespaces()
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
