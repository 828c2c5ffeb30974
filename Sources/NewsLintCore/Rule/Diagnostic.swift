import Foundation

/// How serious a finding is. `error` makes the run exit 1.
public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
    case info, warning, error

    private var rank: Int { self == .info ? 0 : (self == .warning ? 1 : 2) }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// Whether a fix may be applied by plain `--fix` (`safe`) or only with `--unsafe-fixes`.
public enum Applicability: String, Sendable, Codable, Comparable {
    case safe, unsafe
    public static func < (lhs: Applicability, rhs: Applicability) -> Bool { lhs == .safe && rhs == .unsafe }
}

/// Replace the bytes in `range` with `replacement`. Offsets index the file's raw bytes.
public struct Edit: Sendable, Hashable, Codable {
    public var range: Range<Int>
    public var replacement: [UInt8]

    public init(range: Range<Int>, replacement: [UInt8]) {
        self.range = range
        self.replacement = replacement
    }
    public init(range: Range<Int>, replacement: String) {
        self.init(range: range, replacement: Array(replacement.utf8))
    }
    /// An edit that deletes `range`.
    public static func delete(_ range: Range<Int>) -> Edit { Edit(range: range, replacement: []) }
    /// An edit that inserts `text` at `offset`.
    public static func insert(_ text: String, at offset: Int) -> Edit { Edit(range: offset..<offset, replacement: Array(text.utf8)) }
}

/// A set of edits that together resolve one diagnostic.
public struct Fix: Sendable, Hashable, Codable {
    public var applicability: Applicability
    /// The edits in order. Nearly every fix has one: it is held inline (`onlyEdit`), so a
    /// one-edit fix allocates nothing; two or more are kept as the array they came in
    /// (`manyEdits`). As an array of its own, a finding's one edit was allocated and freed once
    /// where the rule made it and once where the spill was decoded (~600 instructions a
    /// finding). Hot readers use `editCount` and `forEachEdit`, which make no array either.
    public var edits: [Edit] {
        get { onlyEdit.map { [$0] } ?? manyEdits }
        set { (onlyEdit, manyEdits) = Self.split(newValue) }
    }
    /// The fix's one edit when it has exactly one (then `manyEdits` is empty).
    @usableFromInline var onlyEdit: Edit?
    /// Its edits when it has none or two or more (then `onlyEdit` is nil).
    @usableFromInline var manyEdits: [Edit]
    /// Short imperative description, e.g. "Remove trailing whitespace".
    public var description: String

    public init(_ applicability: Applicability, _ description: String, edits: [Edit]) {
        self.applicability = applicability
        self.description = description
        (onlyEdit, manyEdits) = Self.split(Self.inOrder(edits) ? edits : edits.sorted { Self.precedes($0, $1) })
    }

    /// A fix of one edit (what nearly every rule makes), with no array made for it.
    @inlinable
    public init(_ applicability: Applicability, _ description: String, edit: Edit) {
        self.applicability = applicability
        self.description = description
        onlyEdit = edit
        manyEdits = []
    }

    /// How many edits (`edits.count` without making an array).
    @inlinable
    public var editCount: Int { onlyEdit == nil ? manyEdits.count : 1 }

    /// Calls `body` with each edit in order (`edits` without making an array).
    @inlinable
    public func forEachEdit(_ body: (Edit) throws -> Void) rethrows {
        if let onlyEdit { return try body(onlyEdit) }
        for e in manyEdits { try body(e) }
    }

    /// A single edit taken out to be held inline; any other count kept as the array it is.
    private static func split(_ edits: [Edit]) -> (Edit?, [Edit]) {
        edits.count == 1 ? (edits[0], []) : (nil, edits)
    }

    // Equal, hashed and coded as the fields `applicability`, `edits`, `description` (the
    // synthesized forms before the edits were split, so encoded fixes read as they did).
    public static func == (a: Fix, b: Fix) -> Bool {
        a.applicability == b.applicability && a.onlyEdit == b.onlyEdit && a.manyEdits == b.manyEdits && a.description == b.description
    }

    public func hash(into h: inout Hasher) {
        h.combine(applicability)
        // As `[Edit]` hashes itself: its count, then each element.
        h.combine(editCount)
        forEachEdit { h.combine($0) }
        h.combine(description)
    }

    private enum CodingKeys: String, CodingKey { case applicability, edits, description }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        applicability = try c.decode(Applicability.self, forKey: .applicability)
        (onlyEdit, manyEdits) = Self.split(try c.decode([Edit].self, forKey: .edits))
        description = try c.decode(String.self, forKey: .description)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(applicability, forKey: .applicability)
        try c.encode(edits, forKey: .edits)
        try c.encode(description, forKey: .description)
    }

    private static func precedes(_ a: Edit, _ b: Edit) -> Bool {
        (a.range.lowerBound, a.range.upperBound) < (b.range.lowerBound, b.range.upperBound)
    }

    /// Whether `edits` is already sorted (nearly every fix has one edit): no sorted copy per finding.
    private static func inOrder(_ edits: [Edit]) -> Bool {
        var i = 1
        while i < edits.count {
            if precedes(edits[i], edits[i - 1]) { return false }
            i += 1
        }
        return true
    }

    /// Smallest range covering every edit.
    public var span: Range<Int> {
        if let onlyEdit { return onlyEdit.range }
        let lo = manyEdits.map(\.range.lowerBound).min() ?? 0
        let hi = manyEdits.map(\.range.upperBound).max() ?? 0
        return lo..<hi
    }
}

/// One finding: rule, severity, where (1-based line and column; columns count
/// Unicode scalars, not bytes or grapheme clusters), what, and optionally how to fix it.
public struct Diagnostic: Sendable, Hashable, Codable {
    public var rule: String
    public var severity: Severity
    public var path: String
    public var line: Int
    public var column: Int
    public var endLine: Int?
    public var endColumn: Int?
    public var message: String
    public var fix: Fix?
    /// What a per-rule listing-cap finding ("N more … not listed") stands for: the findings it
    /// replaces, by severity and fix kind, which every count adds instead of the one finding.
    /// Nil on every other finding. Boxed: one reference (nil on the hot path) rather than five
    /// counts inline in every finding.
    public var unlisted: UnlistedFindings? {
        // Inlinable: the encoders in other modules ask every finding (a call each otherwise).
        @inlinable get { unlistedBox?.counts }
        set { unlistedBox = newValue.map(UnlistedFindings.Box.init) }
    }
    @usableFromInline var unlistedBox: UnlistedFindings.Box?

    /// Inlinable: called from another module, each finding decoded from the spill or a cache
    /// entry had its strings retained by the call and its arguments released after it.
    @inlinable
    public init(rule: String, severity: Severity, path: String, line: Int, column: Int,
                endLine: Int? = nil, endColumn: Int? = nil, message: String, fix: Fix? = nil) {
        self.rule = rule
        self.severity = severity
        self.path = path
        self.line = line
        self.column = column
        self.endLine = endLine
        self.endColumn = endColumn
        self.message = message
        self.fix = fix
        self.unlistedBox = nil
    }


    /// Whether `diagnostics` is already in output order (a linear check is far cheaper than a sort).
    /// The findings are compared where they are (`precedes`): handed to `outputOrder`, both were
    /// copied per comparison (a retain and a release of each of their strings).
    public static func isSorted(_ diagnostics: [Diagnostic]) -> Bool {
        diagnostics.withUnsafeBufferPointer { found in
            var i = 1
            while i < found.count {
                if precedes(found, i, i - 1) { return false }
                i += 1
            }
            return true
        }
    }

    /// `outputOrder(findings[a], findings[b])` with the two read where they are. Findings of one
    /// path mostly differ in line or column, compared here in place; the rest of the order is
    /// `outputComparison`'s.
    @inline(__always)
    package static func precedes(_ findings: UnsafeBufferPointer<Diagnostic>, _ a: Int, _ b: Int) -> Bool {
        if findings[a].path.hasSameBytes(as: findings[b].path) {
            if findings[a].line != findings[b].line { return findings[a].line < findings[b].line }
            if findings[a].column != findings[b].column { return findings[a].column < findings[b].column }
        }
        return outputOrder(findings[a], findings[b])
    }

    /// Puts `diagnostics` in output order, equal ones kept in their order (as the standard
    /// library's stable `sort(by: outputOrder)` leaves them). A file's findings come rule by rule,
    /// a few of them: an insertion sort that compares them in place and swaps them (moves, no copy)
    /// instead of the library's sort, which copied each finding it moved or compared.
    package static func sortInOutputOrder(_ diagnostics: inout [Diagnostic]) {
        guard !isSorted(diagnostics) else { return }
        guard diagnostics.count <= insertionSortLimit else {
            diagnostics.sort(by: outputOrder)
            return
        }
        diagnostics.withUnsafeMutableBufferPointer { found in
            let view = UnsafeBufferPointer(found)
            for i in 1..<found.count {
                var j = i
                while j > 0 && precedes(view, j, j - 1) {
                    found.swapAt(j, j - 1)
                    j -= 1
                }
            }
        }
    }

    /// Above this many findings `sortInOutputOrder` uses the library's sort (its insertion sort
    /// takes time quadratic in the count).
    package static let insertionSortLimit = 64

    /// Output order: path, line, column, rule, then message (total and stable).
    public static func outputOrder(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        outputComparison(a, b) < 0
    }

    /// `outputOrder` as one three-way answer (negative: `a` first; zero: neither), so a merge
    /// that must also tell equal findings apart compares them once, not both ways round.
    public static func outputComparison(_ a: Diagnostic, _ b: Diagnostic) -> Int {
        let path = a.path.bytesCompare(b.path)
        if path != 0 { return path }
        if a.line != b.line { return a.line < b.line ? -1 : 1 }
        if a.column != b.column { return a.column < b.column ? -1 : 1 }
        if a.rule != b.rule { return a.rule < b.rule ? -1 : 1 }
        return a.message.bytesCompare(b.message)
    }
}

/// Findings of one rule in one file that the listing cap (`--max-findings-per-rule`) or the stored
/// bound left out, counted by severity and by fix kind, carried by the one finding that says
/// how many were not listed (`Diagnostic.unlisted`) so that totals count each of them.
public struct UnlistedFindings: Sendable, Hashable, Codable {
    public var infos = 0
    public var warnings = 0
    public var errors = 0
    public var safeFixes = 0
    public var unsafeFixes = 0

    public init() {}
    public init(infos: Int = 0, warnings: Int = 0, errors: Int = 0, safeFixes: Int = 0, unsafeFixes: Int = 0) {
        self.infos = infos
        self.warnings = warnings
        self.errors = errors
        self.safeFixes = safeFixes
        self.unsafeFixes = unsafeFixes
    }

    /// Findings in all.
    public var count: Int { infos + warnings + errors }
    /// The highest severity among them (nil: none).
    public var highestSeverity: Severity? { errors > 0 ? .error : (warnings > 0 ? .warning : (infos > 0 ? .info : nil)) }
    public var isEmpty: Bool { count == 0 }

    /// Counts one finding.
    @inlinable
    public mutating func add(severity: Severity, fix: Applicability?) {
        switch severity {
        case .info: infos += 1
        case .warning: warnings += 1
        case .error: errors += 1
        }
        switch fix {
        case .safe?: safeFixes += 1
        case .unsafe?: unsafeFixes += 1
        case nil: break
        }
    }

    public mutating func add(_ other: UnlistedFindings) {
        infos += other.infos
        warnings += other.warnings
        errors += other.errors
        safeFixes += other.safeFixes
        unsafeFixes += other.unsafeFixes
    }

    /// The counts with no fix (a file whose fixes `--fix` would not apply).
    public var withoutFixes: UnlistedFindings { UnlistedFindings(infos: infos, warnings: warnings, errors: errors) }

    /// Immutable storage for `Diagnostic.unlisted`.
    public final class Box: Sendable, Hashable, Codable {
        public let counts: UnlistedFindings
        @usableFromInline init(_ counts: UnlistedFindings) { self.counts = counts }
        public static func == (a: Box, b: Box) -> Bool { a.counts == b.counts }
        public func hash(into h: inout Hasher) { h.combine(counts) }
        public init(from decoder: any Decoder) throws { counts = try UnlistedFindings(from: decoder) }
        public func encode(to encoder: any Encoder) throws { try counts.encode(to: encoder) }
    }
}

/// Collects one rule's diagnostics for one document, converting byte offsets to positions.
public struct DiagnosticSink {
    /// What reporting reads of the document: its path, the line index and views to place findings,
    /// and the body start and kind to keep prose findings to visible text. Held instead of the
    /// document, which rules are given on their own: a copy of the whole document (its front
    /// matter's arrays and code lines too, through its value witness) and its destroy were made
    /// for each file's sink.
    private let path: String
    private let bytes: [UInt8]
    private let lineStarts: [Int]
    private let views: DocumentViews
    private let bodyStart: Int
    @usableFromInline let isHTMLFile: Bool
    /// The rule being run: `ruleIDs[ruleIndex]`. The engine gives the sink its rule set's ids once
    /// per file and moves the index from rule to rule, so starting a rule stores an `Int` rather
    /// than a `String` (a retain and a release of the id per rule per file: 230,000 a cold agora run).
    public var rule: String { ruleIndex < ruleIDs.count ? ruleIDs[ruleIndex] : "" }
    @usableFromInline let ruleIDs: [String]
    @usableFromInline var ruleIndex = 0
    /// The current rule's severity.
    public var severity: Severity { ruleSeverity }
    @usableFromInline var ruleSeverity: Severity
    /// Whether the user configured the current rule's severity (`.lint.json`: the rule, its
    /// family, `all`, an override). A rule may give a finding its own severity (`report(…,
    /// severity:)`); that is the finding's default, and a configured severity beats it.
    @usableFromInline var severityConfigured = false
    /// Every finding of the document so far, the current rule's from `ruleStart` on. The engine runs
    /// all of a file's rules through one sink and takes the findings once at the end (`takeFindings`):
    /// an array per rule that reported, and a copy of its findings into the file's list (a retain and
    /// a release of each of their strings), were made per rule per file before.
    @usableFromInline var findings: [Diagnostic] = []
    /// Where the current rule's findings start in `findings`.
    @usableFromInline var ruleStart = 0
    /// The current rule's findings (those reported since `start(ruleAt:…)`).
    public var diagnostics: [Diagnostic] { ruleStart == 0 ? findings : Array(findings[ruleStart...]) }
    /// Outside-world answers (file existence, image settings) provided by the engine. Set by each
    /// init, not by a default: a default copied `.default` (retaining each of its references, which
    /// every worker thread shares) for the engine's init to replace once per file.
    public var environment: LintEnvironment
    /// Findings kept at most (the engine caps findings per rule per file); the rest are counted.
    public var limit = Int.max
    /// Findings past `limit`, not stored (a 10 MB file with 1.7M findings took 2 GB).
    public var dropped: Int { droppedCount }
    /// Kept beside `droppedStore`: read and reset per rule per file (230,000 times a cold agora
    /// run), where the counts' five fields cost more.
    @usableFromInline var droppedCount = 0
    /// The same by severity (the configured one, as a kept finding's) and fix kind: counted
    /// without building the finding, so the totals still count each. Past `limit` a finding is
    /// never compared with suppression comments (it has no position): a comment cannot silence it.
    public var droppedFindings: UnlistedFindings { droppedStore }
    @usableFromInline var droppedStore = UnlistedFindings()

    /// An HTML document and a prose rule: findings and fixes stay in visible text (`VisibleText`).
    @usableFromInline var visibleTextOnly: Bool


    /// The per-file time budget's end (`DispatchTime` uptime nanoseconds); nil: no budget.
    public var deadline: UInt64?
    /// Set once `isOverBudget` answered true: the rule stopped early and checked only part of the file.
    public var stoppedOverBudget: Bool { stopped }
    @usableFromInline var stopped = false
    /// Set once any rule on this file gave up a regex search at its time limit
    /// (`noteAbandonedSearch()`; not reset by `start(ruleAt:…)`): the findings depend on the
    /// machine's speed and load, so the engine does not cache the file's result.
    public private(set) var abandonedSearch = false

    /// Notes that a regex search on this file was abandoned at `RegexSafety.searchLimit`. Called
    /// where such a search's finding is reported: noted whether or not the finding is kept (the
    /// per-rule cap or a suppression comment may drop it; the result is still not the file's own).
    public mutating func noteAbandonedSearch() { abandonedSearch = true }

    /// `readsProse`: the rule's `Rule.readsProse`.
    public init(document: borrowing Document, rule: String, severity: Severity, readsProse: Bool = false) {
        self.init(document: document, ruleIDs: [rule], severity: severity, readsProse: readsProse, environment: .default, deadline: nil)
    }

    /// The engine's sink for the rules `ruleIDs` on one file (`start(ruleAt:…)` picks each in turn), with
    /// the run's environment and the file's time budget given at once (no default environment built and replaced).
    public init(document: borrowing Document, ruleIDs: [String], severity: Severity, readsProse: Bool, environment: LintEnvironment, deadline: UInt64?) {
        path = document.path
        bytes = document.bytes
        lineStarts = document.lineStarts
        views = document.views
        bodyStart = document.bodyStart
        isHTMLFile = document.isHTMLFile
        self.ruleIDs = ruleIDs
        ruleSeverity = severity
        visibleTextOnly = readsProse && isHTMLFile
        self.environment = environment
        self.deadline = deadline
    }

    /// Readies the sink for the next rule on the same document: the engine runs every rule of a
    /// file through one sink, so the document's parts and the environment are copied once per file, not once
    /// per rule (dozens of retains each). Findings, counts and the position cursor start afresh.
    /// `index`: the rule's place in the init's `ruleIDs`. Inlinable: the engine, in another module,
    /// starts every rule on every file (230,000 calls at agora ×1).
    /// `severityConfigured`: the user set `severity` (`severityConfigured` above).
    @inlinable
    package mutating func start(ruleAt index: Int, severity: Severity, severityConfigured: Bool = false, readsProse: Bool, limit: Int) {
        assert(ruleIDs.indices.contains(index), "rule index \(index) outside the sink's \(ruleIDs.count) rule ids")
        ruleIndex = index
        ruleSeverity = severity
        self.severityConfigured = severityConfigured
        visibleTextOnly = readsProse && isHTMLFile
        self.limit = limit
        // The findings so far stay where they are: the next rule's follow them.
        ruleStart = findings.count
        if droppedCount != 0 {
            droppedCount = 0
            droppedStore = UnlistedFindings()
        }
        stopped = false
        cursor = nil
    }

    /// Whether the file's time budget (`--file-time-budget`) is spent. A rule whose work can grow with
    /// the input asks this every few hundred lines or matches and returns when it is true; the
    /// engine then reports that the file was only partly checked. One clock read (a vDSO call,
    /// tens of nanoseconds), so asking every line would also do.
    public var isOverBudget: Bool {
        mutating get {
            guard let deadline else { return false }
            if stoppedOverBudget { return true }
            if DispatchTime.now().uptimeNanoseconds >= deadline { stopped = true }
            return stoppedOverBudget
        }
    }

    /// `isOverBudget`, asked at every 64th step of a rule's main loop (a line, a link, a match) and at every
    /// long line (over 4 KB), where one step alone can take a while. Free when there is no budget.
    public mutating func budgetSpent(step: Int, bytes: Int = 0) -> Bool {
        guard deadline != nil, step & 63 == 0 || bytes > 4096 else { return false }
        return isOverBudget
    }

    /// The severity of a finding the rule gave `own` (nil: none): the configured severity when
    /// there is one, else the rule's own for the finding, else the rule's.
    @inline(__always)
    private func severity(own: Severity?) -> Severity {
        severityConfigured ? ruleSeverity : own ?? ruleSeverity
    }

    /// Reports a finding spanning the byte `range` (an empty range marks a point).
    /// `severity`: this finding's own default (a configured severity beats it).
    /// `message` and `fix` are consumed: the finding stores them as they come (a rule's new
    /// message and fix are moved in). Borrowed, each finding copied its fix once more and
    /// retained its strings once more (~100 instructions a finding, ~1 M at agora x1).
    public mutating func report(_ range: Range<Int>, _ message: consuming String, fix: consuming Fix? = nil, severity: Severity? = nil) {
        var range = range
        if visibleTextOnly, range.upperBound > bodyStart || (range.isEmpty && range.lowerBound == bodyStart) {
            let html = Document.html(bytes: bytes, bodyStart: bodyStart, views: views)
            guard let visible = html.visiblePart(of: range) else { return }
            range = visible
            if let edits = fix?.edits, !edits.allSatisfy({ html.isEditable($0.range) }) { fix = nil }
        }
        if findings.count &- ruleStart >= limit { drop(severity: severity, fix: fix); return }
        let start = position(range.lowerBound)
        let end = position(range.upperBound)
        // Moved into the finding (passed as they are, the fix was copied and then destroyed).
        keep(Diagnostic(rule: rule, severity: self.severity(own: severity), path: path,
                        line: start.line, column: start.column, endLine: end.line, endColumn: end.column,
                        message: consume message, fix: consume fix))
    }

    /// Counts a finding past `limit` (`droppedFindings`).
    private mutating func drop(severity: Severity?, fix: Fix?) {
        droppedCount += 1
        droppedStore.add(severity: self.severity(own: severity), fix: fix?.applicability)
    }

    /// Last converted offset: rules report mostly in order, so columns are counted onward from
    /// here instead of from the line start (thousands of findings on one long line stay linear).
    @usableFromInline var cursor: (offset: Int, position: SourcePosition)?

    private mutating func position(_ offset: Int) -> SourcePosition {
        let p: SourcePosition
        // Still on the cursor's line when before the next line's start (no search of the line index).
        if let c = cursor, offset >= c.offset, offset < bytes.count,
           c.position.line >= lineStarts.count || offset < lineStarts[c.position.line] {
            p = SourcePosition(line: c.position.line, column: c.position.column + Document.scalarCount(c.offset..<offset, bytes: bytes, views: views))
        } else if let c = cursor, offset >= c.offset, offset < bytes.count, c.position.line < lineStarts.count,
                  c.position.line + 1 >= lineStarts.count || offset < lineStarts[c.position.line + 1] {
            // On the line after the cursor's (a rule going line by line): no search of the line index.
            let start = lineStarts[c.position.line]
            p = SourcePosition(line: c.position.line + 1, column: 1 + Document.scalarCount(start..<offset, bytes: bytes, views: views))
        } else {
            p = Document.position(ofByte: offset, bytes: bytes, lineStarts: lineStarts, views: views)
        }
        cursor = (offset, p)
        return p
    }

    /// Reports a finding at a line and column (1-based); `severity` as in `report(_:_:fix:severity:)`.
    public mutating func report(line: Int, column: Int = 1, _ message: consuming String, fix: consuming Fix? = nil, severity: Severity? = nil) {
        if findings.count &- ruleStart >= limit { drop(severity: severity, fix: fix); return }
        keep(Diagnostic(rule: rule, severity: self.severity(own: severity), path: path,
                        line: line, column: column, message: message, fix: fix))
    }

    /// Appends a finding, room for a few made at the first (most files with findings have one to
    /// four: grown one at a time, the array was allocated once per doubling).
    @inline(__always)
    private mutating func keep(_ finding: consuming Diagnostic) {
        if findings.capacity == 0 { findings.reserveCapacity(Self.firstRoom) }
        findings.append(finding)
    }

    /// Findings room is made for at the first (with the header, under 1 KB: a block the allocator
    /// serves from its per-thread cache).
    private static let firstRoom = 4

    /// A finding of the engine's own (`file-skipped`) between two rules' findings, in order.
    package mutating func appendEngineFinding(_ finding: consuming Diagnostic) {
        keep(finding)
        ruleStart = findings.count
    }

    /// Every finding of the document, in the order reported (rule by rule), handed over: the sink
    /// keeps none.
    package mutating func takeFindings() -> [Diagnostic] {
        var all: [Diagnostic] = []
        swap(&all, &findings)
        ruleStart = 0
        return all
    }
}
