import Foundation
import NewsLintCore
import NewsLintRules

/// What fixing one file did.
public struct FileFixOutcome: Sendable {
    public var path: String
    /// Number of fixes applied (0 when rolled back).
    public var applied: Int
    /// Findings the fixes made go: those before less those after (0 when rolled back). Not
    /// `applied`: a fix that deletes a stretch of text (a CMS widget) takes the findings inside
    /// it along, though their own fixes, overlapping its edit, were never applied; the summary
    /// counted those as neither fixed nor remaining.
    public var resolved = 0
    /// Passes run (each applies a non-overlapping batch and re-lints).
    public var passes: Int
    /// The pass bound was hit before reaching a fixpoint.
    public var hitPassLimit: Bool
    /// Set when fixing introduced diagnostics that were not there before: nothing was written.
    public var rolledBack: String?
    public var writeError: String?
    /// For previews (`--diff`): the bytes before and after.
    public var original: [UInt8]?
    public var fixed: [UInt8]?
}

/// Totals over a run, for the summary line.
public struct FixSummary: Sendable {
    public var fixesApplied = 0
    /// Findings the fixes made go (`FileFixOutcome.resolved`): what "fixed N issues" says, so
    /// that fixed plus remaining is what the run found before fixing.
    public var findingsResolved = 0
    public var filesFixed = 0
    public var rolledBack: [(path: String, reason: String)] = []
    public var passLimitHit: [String] = []
    public var writeErrors: [(path: String, reason: String)] = []
    package init(fixesApplied: Int = 0, filesFixed: Int = 0, rolledBack: [(path: String, reason: String)] = [], passLimitHit: [String] = [], writeErrors: [(path: String, reason: String)] = []) {
        self.fixesApplied = fixesApplied
        self.filesFixed = filesFixed
        self.rolledBack = rolledBack
        self.passLimitHit = passLimitHit
        self.writeErrors = writeErrors
    }

    package mutating func add(_ o: FileFixOutcome) {
        if o.applied > 0 {
            fixesApplied += o.applied
            findingsResolved += o.resolved
            filesFixed += 1
        }
        if let r = o.rolledBack { rolledBack.append((o.path, r)) }
        if o.hitPassLimit { passLimitHit.append(o.path) }
        if let e = o.writeError { writeErrors.append((o.path, e)) }
    }
}

/// Applies fixes to a fixpoint, Ruff-style: each pass applies every non-overlapping
/// fix, re-lints, and repeats (bounded). A result that reports anything new is rolled back.
public enum Fixer {
    public static let maxPasses = 10

    public struct Result {
        public var bytes: [UInt8]
        public var remaining: [Diagnostic]
        public var outcome: FileFixOutcome
    }

    /// Fixes `document`. `lint` re-checks a document (the same rules that produced `initial`).
    public static func fix(document: Document, initial: [Diagnostic], allowed: Applicability,
                           lint: (Document) -> [Diagnostic]) -> Result {
        var bytes = document.bytes
        var diagnostics = initial
        // What the fixes are judged against: a finding beyond these was introduced by a fix.
        var before = initial
        // Findings the fixes are counted against, and those already resolved when it was reset.
        var counted = initial.count
        var resolvedEarlier = 0
        var applied = 0
        var passes = 0
        var hitLimit = false
        // After the transcoding pass the file is UTF-8 and other fixes may follow.
        var encoding = document.encoding
        while true {
            // The fixes alone: a filtered copy of their findings first held every finding twice
            // (a file of one finding on each of a million lines).
            let fixes = encoding == .utf8
                ? diagnostics.compactMap { d in d.fix.flatMap { $0.applicability <= allowed ? $0 : nil } }
                : EncodingGuard.fixable(diagnostics.filter { $0.fix.map { $0.applicability <= allowed } ?? false }, bytes: bytes, encoding: encoding).compactMap(\.fix)
            if fixes.isEmpty { break }
            if passes == maxPasses { hitLimit = true; break }
            let (next, edits, count) = applyChoosing(fixes, to: bytes)
            if edits.isEmpty || next == bytes { break }
            guard EncodingGuard.preservesText(old: bytes, new: next, edits: edits, encoding: encoding) else {
                var outcome = FileFixOutcome(path: document.path, applied: 0, passes: passes, hitPassLimit: false)
                outcome.rolledBack = "a fix would change text outside its edits (\(encodingName(encoding))); file left unchanged"
                return Result(bytes: document.bytes, remaining: initial, outcome: outcome)
            }
            let transcoded = encoding.isWhollyOtherEncoding
            encoding = .utf8
            bytes = next
            applied += count
            passes += 1
            // Released before the re-lint, not after it: the two sets of findings are not held at once.
            diagnostics = []
            diagnostics = lint(Document(path: document.path, bytes: bytes))
            // The text's findings were not linted before it was decoded (`Rule.checksUndecodedFiles`):
            // they come with the text, not from the transcoding, and later fixes are judged against them.
            if transcoded {
                before = diagnostics
                // The transcoding resolved its own finding; the text's findings count from here.
                resolvedEarlier += count
                counted = diagnostics.count
            }
        }
        var outcome = FileFixOutcome(path: document.path, applied: applied, passes: passes, hitPassLimit: hitLimit)
        // A fix never adds findings of a rule (or it is rolled back below), so this is not negative.
        outcome.resolved = applied > 0 ? resolvedEarlier + max(0, counted - diagnostics.count) : 0
        if applied > 0, let introduced = newFindings(before: before, after: diagnostics) {
            outcome.rolledBack = "fixing introduced \(introduced); file left unchanged"
            outcome.applied = 0
            outcome.resolved = 0
            return Result(bytes: document.bytes, remaining: initial, outcome: outcome)
        }
        return Result(bytes: bytes, remaining: diagnostics, outcome: outcome)
    }

    /// Applies every fix whose edits do not overlap an earlier-chosen fix. Returns the new bytes and how many fixes were applied.
    public static func apply(_ fixes: [Fix], to bytes: [UInt8]) -> ([UInt8], Int) {
        let (out, _, count) = applyCounting(fixes, to: bytes)
        return (out, count)
    }

    /// `apply`, also returning the edits it made (sorted).
    package static func applyChoosing(_ fixes: [Fix], to bytes: [UInt8]) -> ([UInt8], [Edit], Int) {
        applyCounting(fixes, to: bytes)
    }

    package static func encodingName(_ e: DocumentEncoding) -> String {
        switch e {
        case .utf8: return "UTF-8"
        case let .legacy(name, _): return name
        case .unknown: return "unknown encoding"
        }
    }

    private static func applyCounting(_ fixes: [Fix], to bytes: [UInt8]) -> ([UInt8], [Edit], Int) {
        // Each fix's span once (computed in the comparator, it was remade at every comparison),
        // sorted in place with the fix's index: a sorted copy of the fixes and a set of them to
        // skip repeats were most of `--fix`'s memory on a file of many findings. A repeated fix
        // needs no set: its edits overlap its first copy's, so it is never chosen twice. Equal
        // keys keep the fixes' order (the index), as the stable sort did.
        var ordered: [(index: Int, span: Range<Int>)] = []
        ordered.reserveCapacity(fixes.count)
        for (index, fix) in fixes.enumerated() where !fix.edits.isEmpty { ordered.append((index, fix.span)) }
        ordered.sort { a, b in
            (a.span.lowerBound, a.span.upperBound, fixes[a.index].edits.count, a.index) < (b.span.lowerBound, b.span.upperBound, fixes[b.index].edits.count, b.index)
        }
        var chosen = ChosenEdits()
        var chosenEnd = -1
        var count = 0
        for (index, span) in ordered {
            let fix = fixes[index]
            guard fix.edits.allSatisfy({ $0.range.lowerBound >= 0 && $0.range.upperBound <= bytes.count && $0.range.lowerBound <= $0.range.upperBound }) else { continue }
            // A fix whose own edits overlap is malformed (pack rules are user data): never apply it.
            if zip(fix.edits, fix.edits.dropFirst()).contains(where: { overlaps($0, $1) || $1.range.lowerBound < $0.range.upperBound }) { continue }
            // Fixes come sorted by span: one that starts after everything chosen so far cannot
            // conflict (the common case, linear); otherwise compare edit by edit.
            if span.lowerBound <= chosenEnd, fix.edits.contains(where: { chosen.conflicts($0, fileEnd: bytes.count) }) { continue }
            chosen.add(fix.edits)
            chosenEnd = max(chosenEnd, span.upperBound)
            count += 1
        }
        guard count > 0 else { return (bytes, [], 0) }
        let edits = chosen.sorted()
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var cursor = 0
        for e in edits {
            out.append(contentsOf: bytes[cursor..<e.range.lowerBound])
            out.append(contentsOf: e.replacement)
            cursor = e.range.upperBound
        }
        out.append(contentsOf: bytes[cursor...])
        return (out, edits, count)
    }

    /// The edits chosen so far, as a few runs each sorted by (lowerBound, upperBound), every run
    /// more than twice as long as the next (the logarithmic method): adding a fix and asking
    /// whether an edit conflicts cost O(log² n), where one sorted array made each fix whose edits
    /// land among earlier ones (line-endings chooses an edit at every line end first) an O(n)
    /// insertion, quadratic over a large CRLF file. Chosen edits never share a
    /// (lowerBound, upperBound) key (two such edits overlap), so the merged order is the one
    /// sorted insertion gave.
    package struct ChosenEdits {
        package private(set) var runs: [[Edit]] = []
        /// Edits copied by merges. Exists for tests, which check it stays within n log n; the
        /// engine never reads it.
        package private(set) var moved = 0

        package init() {}

        /// Adds one fix's edits (sorted, not conflicting with any chosen edit).
        package mutating func add(_ edits: [Edit]) {
            guard let first = edits.first else { return }
            // Edits after everything in the last run extend it (fixes mostly come in file order).
            if let last = runs.last?.last, Self.precedesOrEqual(last, first) {
                runs[runs.count - 1].append(contentsOf: edits)
            } else {
                runs.append(edits)
            }
            while runs.count >= 2, runs[runs.count - 2].count <= 2 * runs[runs.count - 1].count {
                let later = runs.removeLast(), earlier = runs.removeLast()
                runs.append(merge(earlier, later))
            }
        }

        /// Whether `e` conflicts with a chosen edit (`Fixer.conflicts` in every run).
        package func conflicts(_ e: Edit, fileEnd: Int) -> Bool {
            runs.contains { Fixer.conflicts(e, sortedChosen: $0, fileEnd: fileEnd) }
        }

        /// Every chosen edit in (lowerBound, upperBound) order.
        package mutating func sorted() -> [Edit] {
            while runs.count >= 2 {
                let later = runs.removeLast(), earlier = runs.removeLast()
                runs.append(merge(earlier, later))
            }
            return runs.first ?? []
        }

        private static func precedesOrEqual(_ a: Edit, _ b: Edit) -> Bool {
            (a.range.lowerBound, a.range.upperBound) <= (b.range.lowerBound, b.range.upperBound)
        }

        /// The two runs as one sorted run; on equal keys `earlier`'s edit first (as insertion did).
        private mutating func merge(_ earlier: [Edit], _ later: [Edit]) -> [Edit] {
            var out: [Edit] = []
            out.reserveCapacity(earlier.count + later.count)
            var i = 0, j = 0
            while i < earlier.count && j < later.count {
                if Self.precedesOrEqual(earlier[i], later[j]) { out.append(earlier[i]); i += 1 } else { out.append(later[j]); j += 1 }
            }
            out.append(contentsOf: earlier[i...])
            out.append(contentsOf: later[j...])
            moved += out.count
            return out
        }
    }

    /// Whether `e` overlaps one of `sorted` (non-overlapping edits in order): only the edit before
    /// it and those starting inside it can, so this is a bisection, not a scan of every chosen edit
    /// (a 1.6 MB line with many overlapping fixes was quadratic).
    /// `fileEnd` (the file's length) also makes an insertion at the end conflict with an edit that ends there (`meetsAtEndOfFile`).
    package static func conflicts(_ e: Edit, sortedChosen sorted: [Edit], fileEnd: Int) -> Bool {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid].range.lowerBound < e.range.lowerBound { lo = mid + 1 } else { hi = mid }
        }
        var k = max(0, lo - 1)
        while k < sorted.count && sorted[k].range.lowerBound <= e.range.upperBound {
            if overlaps(sorted[k], e) { return true }
            if meetsAtEndOfFile(sorted[k], e, fileEnd: fileEnd) { return true }
            k += 1
        }
        return false
    }

    /// Two edits conflict when their ranges intersect, or both insert at the same point
    /// (their order would be ambiguous), or one inserts strictly inside the other's range.
    package static func overlaps(_ a: Edit, _ b: Edit) -> Bool {
        if a.range.isEmpty && b.range.isEmpty { return a.range.lowerBound == b.range.lowerBound }
        if a.range.isEmpty { return a.range.lowerBound > b.range.lowerBound && a.range.lowerBound < b.range.upperBound }
        if b.range.isEmpty { return b.range.lowerBound > a.range.lowerBound && b.range.lowerBound < a.range.upperBound }
        return a.range.lowerBound < b.range.upperBound && b.range.lowerBound < a.range.upperBound
    }

    /// Whether one edit inserts at the end of the file and the other, non-empty, ends there. What is
    /// appended at the end depends on how the file ends (final-newline adds "\n" because the last byte
    /// is not one), and the other edit changes the last bytes (a deleted last line leaves the previous
    /// line's "\n" last): applied together they stacked a blank line at the end. The later-chosen one
    /// waits for the next pass, which re-lints the new ending.
    package static func meetsAtEndOfFile(_ a: Edit, _ b: Edit, fileEnd: Int) -> Bool {
        func appends(_ e: Edit) -> Bool { e.range.isEmpty && e.range.lowerBound == fileEnd }
        func endsAtEnd(_ e: Edit) -> Bool { !e.range.isEmpty && e.range.upperBound == fileEnd }
        return (appends(a) && endsAtEnd(b)) || (appends(b) && endsAtEnd(a))
    }

    /// Describes a rule whose count of findings grew, or nil when nothing new appeared.
    package static func newFindings(before: [Diagnostic], after: [Diagnostic]) -> String? {
        var counts: [String: Int] = [:]
        for d in before { counts[d.rule, default: 0] += 1 }
        var grown: [String: Int] = [:]
        for d in after { grown[d.rule, default: 0] += 1 }
        let worse = grown.filter { $0.value > counts[$0.key, default: 0] }.keys.sorted()
        return worse.isEmpty ? nil : "new \(worse.joined(separator: ", ")) findings"
    }
}
