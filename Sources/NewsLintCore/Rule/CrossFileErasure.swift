import Foundation

/// `body` of the value in `boxed` when it is exactly a `T` (nil for anything else, even a `T`
/// wrapped in an optional or another box, which `as? T` would unwrap: callers cast those). The
/// existential is opened and its type compared, one pointer compare: `as? T` went through the
/// runtime's dynamic cast, ~230 instructions for a small fact and ~600 for one holding arrays (its
/// copy retained them), for every cross-file fact of every file (the column's record write, the
/// quoted line).
@inlinable
public func withBoxedValue<T, Result>(_ boxed: any Sendable, as type: T.Type, _ body: (T) -> Result) -> Result? {
    func open<Value>(_ value: Value) -> Result? {
        guard Value.self == T.self else { return nil }
        // Not through a typed pointer: `UnsafePointer<Value>` looked up its generic metadata per call.
        return body(unsafeBitCast(value, to: T.self))
    }
    return open(boxed)
}

/// The value in `boxed` as a `T`: opened when it is exactly one (`withBoxedValue`), cast otherwise
/// (a `T` in an optional or another box).
@inlinable
public func boxedValue<T>(_ boxed: any Sendable, as type: T.Type) -> T? {
    withBoxedValue(boxed, as: type) { $0 } ?? (boxed as? T)
}

/// Type-erased cross-file rule so rules with different fact types share one list. Class-bound:
/// the engine takes each rule from its list for every file, and a copy of an opaque existential
/// went through its value witnesses (~90 instructions a rule and file with its destroy), where a
/// class reference is retained. A rule conforms to `CrossFileRule` and is erased by
/// `CrossFileBox` (`erased(options:)`), not by conforming to this protocol itself.
public protocol ErasedCrossFileRule: AnyObject, Sendable {
    func collectErased(_ document: Document, environment: LintEnvironment) -> (any Sendable)?
    /// `collectErased` with a fact that has a record form appended to `writer` as the tagged
    /// record its column and the cache keep (`CrossFileRule.collectRecord`) and `quotedLine` set
    /// from it; any other fact is appended boxed to `unrecorded` as rule `index`'s, with nothing
    /// written. By default (a rule whose column takes no bytes: `keepsCachedFactBytes` false, the
    /// column asserts), every fact goes to `unrecorded`.
    func collectRecordErased(_ document: Document, environment: LintEnvironment, index: Int, into writer: inout FactRecordWriter,
                             quotedLine: inout Int?, unrecorded: inout [(rule: Int, fact: any Sendable)])
    /// `CrossFileRule.quotedLine(of:)` for a fact `collectErased` returned.
    func quotedLineErased(_ fact: any Sendable) -> Int?
    func finishErased(_ facts: [(path: String, fact: any Sendable)], id: String, severity: Severity, environment: LintEnvironment) -> [Diagnostic]
    func encodeFact(_ fact: any Sendable) throws -> Data
    func decodeFact(_ data: Data) throws -> any Sendable
    /// The cache's form of a fact: its tagged record (`FactRecordFormat` byte, then the fact's
    /// `FactRecord` or, without one, its `CompactCoder` form), far cheaper to decode than JSON.
    func encodeCachedFact(_ fact: any Sendable) throws -> [UInt8]
    func decodeCachedFact(_ bytes: [UInt8]) throws -> any Sendable
    /// Whether this rule's fact column stores a fact given as its cached bytes as they are
    /// (`FactColumn.append(file:cachedBytes:)`), so a cache hit need not decode it.
    var keepsCachedFactBytes: Bool { get }
    /// Storage for this rule's facts over a run (see `FactColumn`), holding up to `memoryBudget`
    /// bytes of them in memory.
    func makeFactColumn(memoryBudget: Int) -> any FactColumn
}

extension ErasedCrossFileRule {
    public func makeFactColumn(memoryBudget: Int) -> any FactColumn { BoxedFactColumn(rule: self) }
    public func encodeCachedFact(_ fact: any Sendable) throws -> [UInt8] { [UInt8](try encodeFact(fact)) }
    public func decodeCachedFact(_ bytes: [UInt8]) throws -> any Sendable { try decodeFact(Data(bytes)) }
    public var keepsCachedFactBytes: Bool { false }
    public func collectRecordErased(_ document: Document, environment: LintEnvironment, index: Int, into writer: inout FactRecordWriter,
                                    quotedLine: inout Int?, unrecorded: inout [(rule: Int, fact: any Sendable)]) {
        if let fact = collectErased(document, environment: environment) { unrecorded.append((index, fact)) }
    }
}

/// One cross-file rule's facts over a run, in delivery order, and its reduce phase. Typed columns
/// store facts unboxed: an existential box per fact was the largest per-file cost of a streamed run.
/// Appended to from one thread at a time (the engine's delivery), never concurrently.
public protocol FactColumn: AnyObject {
    func append(file: Int, fact: any Sendable)
    /// A fact given only as the bytes the lint cache holds for it (its rule's `encodeCachedFact`);
    /// called only for rules whose `keepsCachedFactBytes` is true.
    func append(file: Int, cachedBytes: ArraySlice<UInt8>)
    var count: Int { get }
    func entry(_ i: Int) -> (file: Int, fact: any Sendable)
    /// Runs the reduce phase over the facts (sorted by path) and releases them. With `into`, the
    /// findings go there as they are reported and the result is empty.
    func finish(paths: FactPaths, id: String, severity: Severity, environment: LintEnvironment, into receiver: (any DiagnosticReceiver)?) -> [Diagnostic]
    /// Set when the reduce could not read its facts back (the temporary file was truncated or
    /// unreadable): what happened and what to do. The rule's findings were then left out.
    var readFailure: String? { get }
    /// Bytes of the facts in their stored form: a measure of how much the reduce will hold, which
    /// decides whether it runs beside another one (`Linter.finishCrossFile`).
    var factBytes: Int { get }
}

extension FactColumn {
    public func append(file: Int, cachedBytes: ArraySlice<UInt8>) {
        assertionFailure("\(Self.self) takes decoded facts only (its rule's keepsCachedFactBytes is false)")
    }
    public var readFailure: String? { nil }
}

/// The paths of a run's files that have facts, by file number (delivery order), without a copy
/// of each: the engine reads them from the run's inputs.
public struct FactPaths {
    public let count: Int
    /// Whether each path sorts after the one before it (then facts are already in path order).
    public let isStrictlyIncreasing: Bool
    private let pathAt: (Int) -> String

    public init(count: Int, isStrictlyIncreasing: Bool, path: @escaping (Int) -> String) {
        self.count = count
        self.isStrictlyIncreasing = isStrictlyIncreasing
        pathAt = path
    }

    public init(_ list: PathList) {
        self.init(count: list.count, isStrictlyIncreasing: list.isStrictlyIncreasing) { list[$0] }
    }

    public subscript(i: Int) -> String { pathAt(i) }
}

/// Takes findings as they are reported (the engine's sorted runs), so a reduce phase that reports
/// every file of a large corpus does not hold them all as values.
public protocol DiagnosticReceiver: AnyObject {
    func add(_ diagnostic: Diagnostic)
    /// Findings made only when they are read (`DeferredFindings`). By default they are made now
    /// and added one by one; a receiver that reads them later keeps them deferred.
    func add(deferred findings: DeferredFindings)
}

extension DiagnosticReceiver {
    public func add(deferred findings: DeferredFindings) { findings.forEach { add($0) } }
}

/// A reduce phase's findings as a recipe, made batch by batch when they are read: a corpus of
/// copies gives every file a message naming five other paths (about 60 MB at 72k files), which
/// otherwise went through the sorted runs' temporary file only to be read back for the output.
/// Each pass starts afresh, so the findings can be read more than once (statistics, then output).
public struct DeferredFindings: @unchecked Sendable {
    /// How many findings a pass makes.
    public let count: Int
    /// Whether a pass makes them in output order (`Diagnostic.outputOrder`); a receiver merges
    /// them as they come only then.
    public let inOutputOrder: Bool
    private let makePass: () -> () -> [Diagnostic]

    /// `makePass` starts a pass: a function that returns the next findings, empty at the end.
    public init(count: Int, inOutputOrder: Bool, makePass: @escaping () -> () -> [Diagnostic]) {
        self.count = count
        self.inOutputOrder = inOutputOrder
        self.makePass = makePass
    }

    /// A pass from the first finding: each call returns the next ones, empty at the end. A pass
    /// may be called from a thread other than the one that started it (one thread at a time), and
    /// passes may run at the same time as each other: the recipe only reads what it captured.
    public func pass() -> () -> [Diagnostic] { makePass() }

    public func forEach(_ body: (Diagnostic) -> Void) {
        let next = pass()
        while case let batch = next(), !batch.isEmpty {
            for d in batch { body(d) }
        }
    }
}

extension FactColumn {
    /// (path, fact) sorted by path, as the reduce phase receives them.
    package func sortedEntries<F>(_ entries: [(file: Int, fact: F)], paths: FactPaths) -> [FileFact<F>] {
        var facts = entries.map { FileFact(path: paths[$0.file], fact: $0.fact) }
        facts.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return facts
    }
}

extension CrossFileRule {
    /// Writes `fact` as a tagged record (a `FactRecordFormat` byte, then the fact), the form fact
    /// columns and the lint cache hold: its `FactRecord` when it has one, else its `CompactCoder`
    /// form. Throws when it has neither (a custom fact with nested keyed containers).
    package static func writeTaggedRecord(_ fact: Fact, to writer: inout FactRecordWriter) throws {
        if appendTaggedRecord(fact, to: &writer) { return }
        let coded = try CompactCoder.encode(fact)
        writer.byte(FactRecordFormat.codable)
        writer.bytes.append(contentsOf: coded)
    }

    /// Reads a tagged record (`writeTaggedRecord`), which it must use exactly.
    package static func readTaggedRecord(_ raw: UnsafeRawBufferPointer) throws -> Fact {
        guard let tag = raw.first else { throw CompactCoderError.truncated }
        let body = UnsafeRawBufferPointer(rebasing: raw[1...])
        switch tag {
        case FactRecordFormat.recordV1:
            var reader = FactRecordReader(body)
            let fact = try readRecord(&reader)
            guard reader.atEnd else { throw CompactCoderError.trailingBytes }
            return fact
        case FactRecordFormat.codable:
            return try CompactCoder.decode(Fact.self, from: [UInt8](body))
        default:
            throw CompactCoderError.malformed
        }
    }
}

/// A typed rule's facts as tagged records (`writeTaggedRecord`, the cache's form) in a `SpillLog`:
/// no Swift object per fact, and past the memory budget they go to a temporary file. In memory per
/// fact: its record's end offset (4 bytes) and, only when it is not the fact's own number, its file
/// (4 bytes); 12 bytes before, a third of what a run held per file. The reduce reads records back through a
/// `FactTable` in path order. A fact no record form can hold (a custom rule's nested
/// containers) is kept as a value instead.
package final class TypedFactColumn<R: CrossFileRule>: FactColumn, @unchecked Sendable {
    /// Whether `standIn` is set: testing the generic optional looked up its metadata on every
    /// append (a tenth of a warm run's serial delivery).
    private var hasStandIn = false
    package let rule: R
    /// Fact i's record is record i (the reduce's `FactTable` reads them in place).
    private let records: SpillRecords
    /// Fact i's file (usually `i`: every file had a fact of this rule, and nothing is stored).
    private var files = IdentityNumberList()
    /// Facts that did not encode, referenced from their record (tag 1 + index).
    private var values: [R.Fact] = []
    /// The record being written (one buffer for the run, not one array per fact).
    private var scratch = FactRecordWriter()

    /// The first fact appended, as a value: what a record that cannot be read back is replaced
    /// with so the reduce runs to its end (its findings are then dropped, see `readFailure`).
    private var standIn: R.Fact?
    package var readFailure: String? { records.readFailure }

    package init(rule: R, memoryBudget: Int = 1 << 19) {
        self.rule = rule
        records = SpillRecords(log: SpillLog(budget: memoryBudget))
    }

    /// With a log of the caller's (tests damage its temporary file).
    package init(rule: R, log: SpillLog) {
        self.rule = rule
        records = SpillRecords(log: log)
    }

    /// Whether facts went to the temporary file (tests, measurements).
    package var usedFile: Bool { records.log.usedFile }
    package var factBytes: Int { records.log.size }

    package func append(file: Int, fact: any Sendable) {
        scratch.bytes.removeAll(keepingCapacity: true)
        // The rule's own copy of the cast and write (no metadata lookup), once the stand-in is kept.
        if hasStandIn, R.writeBoxedRecord(fact, to: &scratch) {
            appendScratch(file: file)
            return
        }
        appendOther(file: file, fact: fact)
    }

    /// The first fact, and a fact without a record form. Out of line: its optional fact (the
    /// cast) made every call of `append` look up that optional's metadata on entry.
    @inline(never)
    private func appendOther(file: Int, fact: any Sendable) {
        guard let typed = fact as? R.Fact else { return }
        if !hasStandIn {
            standIn = typed
            hasStandIn = true
        }
        scratch.bytes.removeAll(keepingCapacity: true)
        if (try? R.writeTaggedRecord(typed, to: &scratch)) == nil {
            scratch.bytes.removeAll(keepingCapacity: true)
            scratch.byte(FactRecordFormat.value)
            scratch.varint(UInt64(values.count))
            values.append(typed)
        }
        appendScratch(file: file)
    }

    private func appendScratch(file: Int) {
        scratch.bytes.withUnsafeBytes { records.append($0) }
        files.append(file)
    }

    /// A cache hit's fact: the cache's bytes are its tagged record (`CrossFileBox.encodeCachedFact`),
    /// the column's own form, so they are stored as they are, neither decoded nor encoded again
    /// (the column's first one is decoded once, as the stand-in for a record lost with the temporary file).
    package func append(file: Int, cachedBytes: ArraySlice<UInt8>) {
        if !hasStandIn { takeStandIn(from: cachedBytes) }
        // The bytes are the record, tag first (an empty record, which no rule writes, is taken as
        // a value's tag alone, which then does not decode).
        cachedBytes.withUnsafeBytes { raw in
            if raw.isEmpty { records.append(tag: FactRecordFormat.value, raw) } else { records.append(raw) }
        }
        files.append(file)
    }

    /// Out of line: the optional fact's storage made every call of `append(file:cachedBytes:)`
    /// look up its metadata on entry, though only the first one uses it.
    @inline(never)
    private func takeStandIn(from cachedBytes: ArraySlice<UInt8>) {
        standIn = try? cachedBytes.withUnsafeBytes { try R.readTaggedRecord($0) }
        hasStandIn = standIn != nil
    }

    package var count: Int { records.count }
    package func entry(_ i: Int) -> (file: Int, fact: any Sendable) { (files[i], decodeRecord(i)) }

    /// Fact `i` in append order, decoded from its record each time it is asked for (never held
    /// decoded: a reduce reads records in place, `FactTable.withRecord` / `recordedFact`, and a
    /// fact without a record form is decoded here). No optional of the fact type on this path:
    /// this code is generic over the rule, and such an optional looked up its metadata for every
    /// fact read.
    /// A record that cannot be read back means the temporary file was damaged under the process
    /// (the facts cannot be recomputed): the reduce gets a stand-in fact and runs to its end, its
    /// findings are dropped and `readFailure` tells the caller, who reports an I/O error.
    private func decodeRecord(_ i: Int) -> R.Fact {
        if records.readFailure == nil {
            do { return try readRecord(i) } catch {}
        }
        return failedRecord()
    }

    /// The stand-in for a record that did not read back (out of line: it holds the optional stand-in).
    @inline(never)
    private func failedRecord() -> R.Fact {
        if records.readFailure == nil {
            let file = records.log.filePath.map { "\($0) (unlinked)" } ?? "in the temporary directory"
            let directory = NSTemporaryDirectory()
            records.noteReadFailure("cannot read back the cross-file facts of rule '\(R.id)' from its temporary file \(file): "
                + (records.log.readFailure ?? "a record does not decode") + "; the rule's findings are left out. "
                + "Make sure the temporary directory (\(directory), set with TMPDIR) has free space and is not cleaned while newslint runs, then run again")
        }
        guard let standIn else { preconditionFailure("a fact record exists only after a fact was appended") }
        return standIn
    }

    private func readRecord(_ i: Int) throws -> R.Fact {
        return try records.log.withBytes(records.range(i)) { raw -> R.Fact in
            guard let tag = raw.first else { throw CompactCoderError.truncated }
            if tag != FactRecordFormat.value { return try R.readTaggedRecord(raw) }
            var n = 0, shift = 0
            for b in raw[1...] {
                n |= Int(b & 0x7F) << shift
                shift += 7
                if b < 0x80 { break }
            }
            guard values.indices.contains(n) else { throw CompactCoderError.malformed }
            return values[n]
        }
    }

    package func finish(paths: FactPaths, id: String, severity: Severity, environment: LintEnvironment, into receiver: (any DiagnosticReceiver)?) -> [Diagnostic] {
        // Files are delivered in path order when the inputs are sorted (always for directory walks);
        // a column's files are a subsequence of the delivered ones.
        let files = self.files, count = records.count
        var order: [Int32]?
        if !paths.isStrictlyIncreasing {
            var o = (0..<Int32(truncatingIfNeeded: count)).map { $0 }
            o.sort { paths[files[Int($0)]].utf8.lexicographicallyPrecedes(paths[files[Int($1)]].utf8) }
            order = o
        }
        // Records are read by the table from `records` itself (`FactTable.withRecord`).
        let table = FactTable<R.Fact>(count: count, pathsIncrease: paths.isStrictlyIncreasing,
                                      path: { i in paths[files[order.map { Int($0[i]) } ?? i]] },
                                      fact: { i in self.decodeRecord(order.map { Int($0[i]) } ?? i) },
                                      records: records, order: order ?? [])
        var sink = CrossFileSink(rule: id, severity: severity)
        sink.environment = environment
        // Findings pass to the receiver only while the facts read back: none from stand-in facts.
        sink.receiver = receiver.map { GatedReceiver(next: $0) { [unowned self] in self.readFailure == nil } }
        rule.finish(table, into: &sink)
        records.removeAll()
        self.files = IdentityNumberList()
        values = []
        standIn = nil
        hasStandIn = false
        return readFailure == nil ? sink.diagnostics : []
    }
}

/// Passes findings on while `open` is true.
private final class GatedReceiver: DiagnosticReceiver {
    let next: any DiagnosticReceiver
    let open: () -> Bool
    init(next: any DiagnosticReceiver, open: @escaping () -> Bool) {
        self.next = next
        self.open = open
    }
    func add(_ diagnostic: Diagnostic) {
        if open() { next.add(diagnostic) }
    }
    func add(deferred findings: DeferredFindings) {
        if open() { next.add(deferred: findings) }
    }
}

/// The column of a type-erased rule without a typed one.
package final class BoxedFactColumn: FactColumn, @unchecked Sendable {
    package let rule: any ErasedCrossFileRule
    private var entries: [(file: Int, fact: any Sendable)] = []
    package init(rule: any ErasedCrossFileRule) { self.rule = rule }
    /// Values, not records: counted at a nominal 64 bytes each.
    package var factBytes: Int { entries.count * 64 }

    package func append(file: Int, fact: any Sendable) { entries.append((file, fact)) }
    package var count: Int { entries.count }
    package func entry(_ i: Int) -> (file: Int, fact: any Sendable) { entries[i] }

    package func finish(paths: FactPaths, id: String, severity: Severity, environment: LintEnvironment, into receiver: (any DiagnosticReceiver)?) -> [Diagnostic] {
        let facts = sortedEntries(entries, paths: paths).map { (path: $0.path, fact: $0.fact) }
        entries = []
        let found = rule.finishErased(facts, id: id, severity: severity, environment: environment)
        guard let receiver else { return found }
        for d in found { receiver.add(d) }
        return []
    }
}

package final class CrossFileBox<R: CrossFileRule>: ErasedCrossFileRule {
    package let rule: R

    package init(rule: R) { self.rule = rule }

    package func collectErased(_ document: Document, environment: LintEnvironment) -> (any Sendable)? { rule.collectBoxed(document, environment: environment) }

    /// Its records are `TypedFactColumn`'s (and the cache's) form of the fact.
    package func collectRecordErased(_ document: Document, environment: LintEnvironment, index: Int, into writer: inout FactRecordWriter,
                                     quotedLine: inout Int?, unrecorded: inout [(rule: Int, fact: any Sendable)]) {
        rule.collectRecord(document, environment: environment, index: index, into: &writer, quotedLine: &quotedLine, unrecorded: &unrecorded)
    }

    /// Asked of every fact of every file (the line to keep for a code frame): the box is opened
    /// (`withBoxedValue`) rather than cast, and cast only when it holds something else.
    package func quotedLineErased(_ fact: any Sendable) -> Int? {
        boxedValue(fact, as: R.Fact.self).flatMap(R.quotedLine(of:))
    }

    package func finishErased(_ facts: [(path: String, fact: any Sendable)], id: String, severity: Severity, environment: LintEnvironment) -> [Diagnostic] {
        let typed = facts.compactMap { f in (f.fact as? R.Fact).map { FileFact(path: f.path, fact: $0) } }
        var sink = CrossFileSink(rule: id, severity: severity)
        sink.environment = environment
        rule.finish(FactTable(typed), into: &sink)
        return sink.diagnostics
    }

    package func encodeFact(_ fact: any Sendable) throws -> Data {
        guard let typed = fact as? R.Fact else { throw CocoaError(.coderInvalidValue) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(typed)
    }

    package func decodeFact(_ data: Data) throws -> any Sendable { try JSONDecoder().decode(R.Fact.self, from: data) }

    /// Asked for every fact of every file a cold run records in the cache: the box is opened
    /// (`withBoxedValue`) rather than cast, and cast only when it holds something else.
    package func encodeCachedFact(_ fact: any Sendable) throws -> [UInt8] {
        guard let typed = boxedValue(fact, as: R.Fact.self) else { throw CocoaError(.coderInvalidValue) }
        var writer = FactRecordWriter()
        try R.writeTaggedRecord(typed, to: &writer)
        return writer.bytes
    }

    package func decodeCachedFact(_ bytes: [UInt8]) throws -> any Sendable {
        try bytes.withUnsafeBytes { try R.readTaggedRecord($0) }
    }

    /// `TypedFactColumn` records are the cached form.
    package var keepsCachedFactBytes: Bool { true }

    package func makeFactColumn(memoryBudget: Int) -> any FactColumn { TypedFactColumn(rule: rule, memoryBudget: memoryBudget) }
}

extension CrossFileRule {
    public static func erased(options: RuleOptions) throws -> any ErasedCrossFileRule { CrossFileBox(rule: try Self(options: options)) }
}
