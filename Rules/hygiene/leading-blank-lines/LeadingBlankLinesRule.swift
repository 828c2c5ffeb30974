import NewsLintCore

/// `leading-blank-lines`: blank lines before the first content of the file.
public struct LeadingBlankLinesRule: Rule {
    public static let id = "leading-blank-lines"
    public init(options: RuleOptions) {}

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        // Displaced front matter is reported (and fixed) by front-matter-malformed.
        if let fm = document.frontMatter, fm.openLine > 1 { return }
        var n = 1
        while n <= document.lineCount && document.lineBytes(n).dropFirst(n == 1 ? document.bomLength : 0).allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
            n += 1
        }
        guard n > 1, n <= document.lineCount else { return }
        let start = document.bomLength
        let end = document.lineStarts[n - 1]
        sink.report(line: 1, n == 2 ? "file starts with a blank line" : "file starts with \(n - 1) blank lines",
                    fix: Fix(.safe, "Remove leading blank lines", edit: .delete(start..<end)))
    }
}
