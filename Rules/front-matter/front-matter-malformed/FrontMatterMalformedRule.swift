import NewsLintCore

/// `front-matter-malformed`: unterminated block, invalid syntax, duplicate keys,
/// tab indentation, or front matter that is not at the start of the file.
public struct FrontMatterMalformedRule: Rule {
    public static let id = "front-matter-malformed"

    public init(options: RuleOptions) {}

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        if let fm = document.frontMatter {
            if fm.openLine > 1 {
                let start = document.bomLength
                let end = document.lineStarts[fm.openLine - 1]
                sink.report(line: fm.openLine, "front matter must start on line 1; \(fm.openLine == 2 ? "a blank line comes" : "\(fm.openLine - 1) blank lines come") before it",
                            fix: Fix(.safe, "Remove the blank lines before the front matter", edit: .delete(start..<end)))
            }
            for p in fm.problems {
                sink.report(line: p.line, column: p.column, p.message)
            }
            return
        }
        if let line = Self.misplacedBlock(in: document) {
            sink.report(line: line, "front-matter block on line \(line) is not at the start of the file; move it to line 1")
        }
    }

    /// Line of a `---` front-matter-like block found after other content near the top, if any.
    package static func misplacedBlock(in document: Document) -> Int? {
        let limit = min(document.lineCount, 40)
        guard limit >= 3 else { return nil }
        var n = 2
        while n < limit {
            if document.lineBytes(n).trimmingTrailingSpaces().elementsEqual("---".utf8) {
                // Needs key lines and a closing delimiter with at least one key line between.
                var m = n + 1
                var keys = 0
                while m <= limit {
                    let line = document.lineBytes(m)
                    if line.trimmingTrailingSpaces().elementsEqual("---".utf8) { break }
                    if YAMLSubset.looksLikeKeyLine(line) { keys += 1 } else if !(line.first == 0x20 || line.first == UInt8(ascii: "-")) { keys = -1000 }
                    m += 1
                }
                if m <= limit && keys >= 2 { return n }
            }
            n += 1
        }
        return nil
    }
}
