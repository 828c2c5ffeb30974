import NewsLintEngine

/// Files the cross-file step could not read back, reported on stderr as `error:` lines: those
/// known when the pass ends, then the ones met while the output is written (deferred cross-file
/// findings read their paths back then). A failure already reported at the end of the pass is
/// not reported again during the output.
struct ReadFailures {
    private var reported: [String]

    /// Reports the failures known now.
    init(_ run: LintRun, io: ToolIO) {
        reported = run.facts.readFailures
        for failure in reported { io.stderr("error: \(failure)\n") }
    }

    /// Reports the failures met since, and whether there were any (a failure there names files
    /// wrongly, so it fails the run like one before it).
    mutating func reportNew(_ run: LintRun, io: ToolIO) -> Bool {
        let new = run.facts.readFailures.filter { !reported.contains($0) }
        for failure in new { io.stderr("error: \(failure)\n") }
        reported += new
        return !new.isEmpty
    }
}
