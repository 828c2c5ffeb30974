import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// Many findings of one kind in one file are one problem to an editor: a zero-width space pasted
/// into 691 places, or one leftover word repeated through an article. Listing each buries every
/// other finding, so in the listings people read (text, concise, GitHub annotations) identical
/// findings (same rule, message and kind of fix) at or above a threshold are shown as one, at the
/// first occurrence, with the count, the lines and one fix holding every occurrence's edits.
///
/// Presentation only: totals, exit status, baselines, `--statistics`, fixing and the machine
/// formats (JSON, JSON Lines, SARIF, JUnit) see every occurrence.
public enum FindingAggregation {
    /// Identical findings in one file from which they are reported as one (`--aggregate N`).
    public static let defaultThreshold = 10

    /// Findings that read as the same problem.
    package struct Kind: Hashable {
        package var rule: String
        package var message: String
        package var applicability: Applicability?
    }

    public static func apply<C: Collection>(_ diagnostics: C, threshold: Int) -> [Diagnostic] where C.Element == Diagnostic {
        let diagnostics = Array(diagnostics)
        guard threshold > 1, diagnostics.count >= threshold else { return diagnostics }
        var groups: [Kind: [Int]] = [:]
        for (i, d) in diagnostics.enumerated() {
            groups[Kind(rule: d.rule, message: d.message, applicability: d.fix?.applicability), default: []].append(i)
        }
        var merged: [Int: Diagnostic] = [:]
        var absorbed = Set<Int>()
        for members in groups.values where members.count >= threshold {
            let ordered = members.sorted { (diagnostics[$0].line, diagnostics[$0].column, $0) < (diagnostics[$1].line, diagnostics[$1].column, $1) }
            guard let one = merge(ordered.map { diagnostics[$0] }) else { continue }
            merged[ordered[0]] = one
            absorbed.formUnion(ordered.dropFirst())
        }
        guard !merged.isEmpty else { return diagnostics }
        return diagnostics.indices.compactMap { absorbed.contains($0) ? nil : (merged[$0] ?? diagnostics[$0]) }
    }

    /// The group as one finding, or nil when its fixes overlap (then each is kept as it is).
    package static func merge(_ group: [Diagnostic]) -> Diagnostic? {
        guard var first = group.first else { return nil }
        var lines: [Int] = []
        for d in group where lines.last != d.line { lines.append(d.line) }
        let shown = lines.prefix(5).map(String.init).joined(separator: ", ") + (lines.count > 5 ? ", …" : "")
        first.message += " (\(group.count) times in this file, on line\(lines.count == 1 ? "" : "s") \(shown))"
        if let fix = first.fix {
            let edits = group.flatMap { $0.fix?.edits ?? [] }
                .sorted { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }
            for (a, b) in zip(edits, edits.dropFirst()) where a.range.upperBound > b.range.lowerBound { return nil }
            first.fix = Fix(fix.applicability, "\(fix.description) (all \(group.count))", edits: edits)
        }
        return first
    }
}
