import NewsLintCore

/// `final-newline`: a non-empty file must end with a line terminator.
///
/// A last byte of CR is one: a lone CR ends the line (old Mac files). One terminator, one
/// finding: `line-endings` (on by default) speaks for it and converts it to the wanted style.
public struct FinalNewlineRule: Rule {
    public static let id = "final-newline"
    public init(options: RuleOptions) {}

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        guard let last = document.bytes.last, last != 0x0A, last != 0x0D else { return }
        let end = document.bytes.count
        sink.report(end..<end, "file does not end with a newline",
                    fix: Fix(.safe, "Add a final newline", edit: Edit(range: end..<end, replacement: document.preferredNewline)))
    }
}
