import Foundation
import NewsLintCore

/// What a caller above the engine asks one run for: the inputs it found, the problems it met
/// finding them, and how much of the per-file output it wants kept for the ordered merge.
public struct LintRequest {
    public var inputs: LintInputList
    /// Missing paths, loops, …: reported as `io-error`/`file-skipped` findings in path order.
    public var problems: [InputProblem] = []
    /// Whether per-file diagnostics are kept (spilled) for `LintRun.merge`; off when the caller
    /// only counts them as files complete.
    public var keepDiagnostics = true
    /// Whether the findings kept are only spilled for the merge (`perFile` and the observer do not
    /// read them as values): a file written to the cache then hands them on as its new entry's
    /// bytes, encoded once. Off by default: a caller reading them would decode them on every read.
    public var spillsFindingsOnly = false
    /// Encoded bytes of per-file diagnostics held in memory before the spill file.
    public var spillThreshold = 1 << 18

    public init(inputs: LintInputList, problems: [InputProblem] = []) {
        self.inputs = inputs
        self.problems = problems
    }

    public init(inputs: [LintInput], problems: [InputProblem] = []) {
        self.inputs = LintInputList(inputs)
        self.problems = problems
    }
}

/// One lint run: discovery's inputs → each file read once and checked in one pass (diagnostics,
/// fixes, cross-file facts, suppression regions, the caller's document profile) → the cross-file
/// reduce → every diagnostic merged in path order. Files complete in input order (which callers
/// keep sorted by path, so the order of `perFile` is the order of `merge`); per-file diagnostics
/// are spilled compactly and cross-file findings kept as sorted runs, so memory does not grow
/// with the findings. Nothing here writes output: callers hand the merged stream to a reporter.
public final class LintRun {
    public let linter: Linter
    public let request: LintRequest
    /// Facts of the files that had any (what `--facts-out` writes; consumed by the reduce). When
    /// a cached cross-file result answered the reduce, the facts of files the cache answered were
    /// never loaded (a run that writes `--facts-out` does not reduce, so it has them all).
    public private(set) var facts: CrossFileFacts
    public private(set) var fileCount = 0
    public private(set) var ioFailure = false
    public private(set) var fixSummary = FixSummary()
    /// Cross-file findings (suppressed ones dropped) and input problems, as sorted runs.
    public let extras: DiagnosticRuns
    private let spill: DiagnosticSpill

    /// Runs the pass and the reduce. `perFile` sees each file's outcome (its diagnostics sorted)
    /// as it completes, in input order, on one thread at a time.
    public init(linter: Linter, request: LintRequest, observer: (@Sendable (FileOutcome) -> Void)? = nil,
                perFile: (FileOutcome) -> Void = { _ in }) {
        self.linter = linter
        self.request = request
        let spill = DiagnosticSpill(threshold: request.spillThreshold)
        let extras = DiagnosticRuns()
        extras.makesDeferredAhead = linter.settings.jobs >= 2
        let keep = request.keepDiagnostics
        let streamed = linter.lintStreaming(request.inputs, observer: observer, crossFileInto: extras,
                                            findingsAsStored: keep && request.spillsFindingsOnly) { outcome in
            perFile(outcome)
            if keep { spill.append(outcome) }
        }
        let problems = linter.inputProblemDiagnostics(request.problems)
        extras.add(contentsOf: problems.diagnostics)
        extras.seal()
        self.spill = spill
        self.extras = extras
        self.facts = streamed.facts
        self.fileCount = streamed.fileCount
        self.ioFailure = streamed.ioFailure || problems.ioFailure
        self.fixSummary = streamed.fixSummary
    }

    /// Every diagnostic of the run in output order, one call per path, with the source lines the
    /// pass captured for that path (`LintSettings.captureSourceLines`). False when what was
    /// spilled to the temporary directory could not be read back (the stream ends there).
    /// `fillingLines` adds lines the pass did not keep, off the output's thread when it can
    /// (`DiagnosticSpill.forEachRecord`).
    @discardableResult
    public func merge(fillingLines: LineFiller? = nil,
                      _ body: (ArraySlice<Diagnostic>, [Int: String]) -> Void) -> Bool {
        OrderedMerge.run(spill, extras: extras, fillingLines: fillingLines, body)
    }

    /// The same stream with each path's findings left as the spill's bytes where they can be
    /// (`OrderedMerge.run(_:extras:decodingFrom:_:)`): for a consumer that only writes them out.
    @discardableResult
    public func merge(decodingFrom limit: Int, _ body: (MergedGroup) -> Void) -> Bool {
        OrderedMerge.run(spill, extras: extras, decodingFrom: limit, body)
    }
}
