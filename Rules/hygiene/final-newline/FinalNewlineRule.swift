import NewsLintCore

/// `final-newline`: a non-empty file must end with a line terminator.
public struct FinalNewlineRule: Rule {
    public static let id = "final-newline"
    public init(options: RuleOptions) {}

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard let last = document.bytes.last, last != 0x0A else { return }
        let end = document.bytes.count
        sink.report(end..<end, "file does not end with a newline",
                    fix: Fix(.safe, "Add a final newline", edits: [Edit(range: end..<end, replacement: document.preferredNewline)]))
    }
}
