import NewsLintEngine

/// Files the cross-file step could not read back, reported on stderr as `error:` lines: those
/// known when the pass ends, then the ones met while the output is written (deferred cross-file
/// findings read their paths back then). A failure already reported at the end of the pass is
/// not reported again during the output.
struct ReadFailures {
    private var reported: [String]

    /// Reports the failures known now (the pass's, and any the cache's save met reading the
    /// run's spilled paths back, which it may do before or after this).
    init(_ run: LintRun, io: ToolIO) {
        reported = run.facts.readFailures
        for failure in reported { io.stderr("error: \(failure)\n") }
    }

    /// Whether any failure was reported: the run's findings are then a part of them (it fails,
    /// and no baseline is written from it), whichever step met the failure first.
    var any: Bool { !reported.isEmpty }

    /// Reports the failures met since, and whether there were any (a failure there names files
    /// wrongly, so it fails the run like one before it).
    mutating func reportNew(_ run: LintRun, io: ToolIO) -> Bool {
        let new = run.facts.readFailures.filter { !reported.contains($0) }
        for failure in new { io.stderr("error: \(failure)\n") }
        reported += new
        return !new.isEmpty
    }
}
