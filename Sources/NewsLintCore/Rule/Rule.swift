import Foundation

/// A rule that looks at one document at a time.
///
/// Rules are values built once per run (per distinct configuration) and shared by
/// all worker threads; they must not touch files, output or argv. Data tables and
/// automata belong in `init` (or static lets), never in `check`.
public protocol Rule: Sendable {
    /// Catalog id, e.g. `final-newline`.
    static var id: String { get }
    /// Builds the rule with its validated options (catalog defaults merged with config).
    init(options: RuleOptions) throws
    /// Reports findings into `sink`.
    func check(_ document: Document, into sink: inout DiagnosticSink)
    /// Whether the rule reads prose: on an HTML file its findings and fixes are then kept to the
    /// visible text (`VisibleText`), never markup. Default false (structure, hygiene, front matter).
    static var readsProse: Bool { get }
    /// Whether the rule still runs on a file after an earlier rule used up the per-file time budget
    /// (`--file-time-budget`): for a rule that costs at most one walk over the bytes and whose
    /// finding a slow file needs most (invalid UTF-8). Default false.
    static var runsPastFileBudget: Bool { get }
    /// Whether the rule's findings hold on a file whose whole text is in another encoding
    /// (`DocumentEncoding.legacy`: UTF-16, GB18030, Big5): only for a rule about the encoding
    /// itself. Default false: a rule reading the text would judge bytes that were never decoded
    /// (NULs of UTF-16, halves of GB18030 characters), so the engine drops its findings there, as a
    /// compiler stops at a file it cannot read; they are found on the text once it is transcoded.
    static var checksUndecodedFiles: Bool { get }
}

extension Rule {
    public static var readsProse: Bool { false }
    public static var runsPastFileBudget: Bool { false }
    public static var checksUndecodedFiles: Bool { false }
}

/// A fact collected from one file for a cross-file rule, tagged with its file.
public struct FileFact<Fact: Sendable>: Sendable {
    public var path: String
    public var fact: Fact
    public init(path: String, fact: Fact) {
        self.path = path
        self.fact = fact
    }
}

/// A rule that needs the whole corpus: map (collect a small fact per file, in
/// parallel), then reduce (finish over all facts). Facts are `Codable` so shards
/// linted on different machines can be merged (`--facts-out` / `merge`).
/// Keep facts small: a few hashes, a slug with its line; never the text.
public protocol CrossFileRule: Sendable {
    associatedtype Fact: Codable & Sendable
    static var id: String { get }
    init(options: RuleOptions) throws
    /// The fact for one document, or nil when the file contributes nothing.
    func collect(_ document: Document) -> Fact?
    /// Reports findings over all facts (sorted by path). The table reads facts back from the
    /// engine's compact store as they are asked for: walk it in order where possible, and keep
    /// what a second look needs in a compact form of the rule's own, not a copy of every fact.
    func finish(_ facts: FactTable<Fact>, into sink: inout CrossFileSink)
    /// Like `collect(_:)`, for rules whose facts depend on the run (e.g. online mode).
    /// Defaults to `collect(_:)`.
    func collect(_ document: Document, environment: LintEnvironment) -> Fact?
    /// The fact as a `FactRecord` (fact columns, lint cache); false when the fact type has no such
    /// form (then its `Codable` form is stored). Provided by the extensions below.
    static func writeRecord(_ fact: Fact, to writer: inout FactRecordWriter) -> Bool
    /// Reads what `writeRecord` wrote; throws when the fact type has no record form.
    static func readRecord(_ reader: inout FactRecordReader) throws -> Fact
    /// The line a finding on this fact would point at, when the fact alone says (the body's
    /// first line, the slug's key line): the pass keeps that line's text for the code frame, so
    /// the output need not read the file again. nil (the default) when only the reduce knows.
    static func quotedLine(of fact: Fact) -> Int?
    /// `collect(_:environment:)` with its fact boxed, for the engine's type-erased list. Provided
    /// below (`@inlinable`), so each rule's conformance gets a copy made for its own fact type:
    /// the generic `CrossFileBox` doing the boxing looked up the optional fact's type metadata
    /// for every rule and file.
    func collectBoxed(_ document: Document, environment: LintEnvironment) -> (any Sendable)?
    /// Appends a boxed fact of this rule as its tagged `FactRecord` (`writeTaggedRecord`); false,
    /// with nothing appended, when it is not this rule's fact or has no record form. Provided
    /// below (`@inlinable`) for the same reason as `collectBoxed`: the fact column's cast and
    /// write, generic over the rule, looked up metadata for every fact.
    static func writeBoxedRecord(_ fact: any Sendable, to writer: inout FactRecordWriter) -> Bool
    /// `collect(_:environment:)` with its fact appended to `writer` as its tagged `FactRecord`
    /// (`writeTaggedRecord`'s record form) and `quotedLine` set to `quotedLine(of:)`: the pass's
    /// worker writes the bytes the fact column and the lint cache hold, so the fact is never boxed,
    /// copied as an existential or written again at delivery. A fact without a record form is
    /// appended boxed to `unrecorded` as rule `index`'s, with nothing written (the engine then
    /// stores it as before). Provided below (`@inlinable`), like `collectBoxed`, so each rule gets
    /// a copy made for its own fact type (no optional existential on the way back either).
    func collectRecord(_ document: Document, environment: LintEnvironment, index: Int, into writer: inout FactRecordWriter,
                       quotedLine: inout Int?, unrecorded: inout [(rule: Int, fact: any Sendable)])
}

extension CrossFileRule {
    @inlinable
    public func collectBoxed(_ document: Document, environment: LintEnvironment) -> (any Sendable)? {
        collect(document, environment: environment)
    }
    /// Only a box holding exactly a `Fact` is written here (`withBoxedValue`: `as? Fact` was a
    /// dynamic cast per fact of every file); the column casts anything else (`appendOther`).
    @inlinable
    public static func writeBoxedRecord(_ fact: any Sendable, to writer: inout FactRecordWriter) -> Bool {
        withBoxedValue(fact, as: Fact.self) { appendTaggedRecord($0, to: &writer) } ?? false
    }
    /// Appends `fact` as its tagged record (the `recordV1` byte, then `writeRecord`'s bytes), or
    /// nothing when it has no record form: the one place the tag is written and rolled back.
    @inlinable
    public static func appendTaggedRecord(_ fact: Fact, to writer: inout FactRecordWriter) -> Bool {
        let start = writer.bytes.count
        writer.byte(FactRecordFormat.recordV1)
        if writeRecord(fact, to: &writer) { return true }
        writer.bytes.removeSubrange(start...)
        return false
    }
    @inlinable
    public func collectRecord(_ document: Document, environment: LintEnvironment, index: Int, into writer: inout FactRecordWriter,
                              quotedLine: inout Int?, unrecorded: inout [(rule: Int, fact: any Sendable)]) {
        guard let fact = collect(document, environment: environment) else { return }
        if Self.appendTaggedRecord(fact, to: &writer) {
            quotedLine = Self.quotedLine(of: fact)
        } else {
            unrecorded.append((index, fact))
        }
    }
    public static func quotedLine(of fact: Fact) -> Int? { nil }
    public static func writeRecord(_ fact: Fact, to writer: inout FactRecordWriter) -> Bool { false }
    public static func readRecord(_ reader: inout FactRecordReader) throws -> Fact { throw CompactCoderError.unsupported }
}

extension CrossFileRule where Fact: FactRecord {
    public static func writeRecord(_ fact: Fact, to writer: inout FactRecordWriter) -> Bool {
        fact.write(to: &writer)
        return true
    }
    public static func readRecord(_ reader: inout FactRecordReader) throws -> Fact { try Fact(record: &reader) }
}

extension CrossFileRule {
    public func collect(_ document: Document, environment: LintEnvironment) -> Fact? { collect(document) }

    /// The reduce phase over facts held as values (tests, small callers).
    public func finish(_ facts: [FileFact<Fact>], into sink: inout CrossFileSink) { finish(FactTable(facts), into: &sink) }
}

/// A cross-file rule's facts in path order, as its reduce phase sees them: `count` entries,
/// each a path and a fact. Nothing is decoded up front: a reduce whose fact has a record form
/// (`FactRecord`) reads each entry's record in place (`recordedFact(_:)`, or only the fields it
/// needs with `withRecord(_:_:)`, from memory or the spill file of the engine's fact column); a
/// table without records (facts held as values, from `merge` or JSON) and a fact without a record
/// form are decoded by `fact(_:)`. A fact asked for twice is decoded twice, so a rule keeps the
/// part it needs rather than asking again; `path(_:)` and `fact(_:)` read one half without the other.
public struct FactTable<Fact: Sendable>: RandomAccessCollection {
    private let total: Int
    private let pathAt: (Int) -> String
    private let factAt: (Int) -> Fact
    /// Calls its body with entry i's record (its `FactRecord` form, after the tag); false when
    /// the entry has no such record or it could not be read (or the body threw).
    private let recordAt: ((Int, (UnsafeRawBufferPointer) throws -> Void) -> Bool)?
    /// Or the records themselves (a fact column's) when `readsRecords`, entry i being record
    /// `order[i]` (record i when `order` is empty): read with no closure between the table and the
    /// log. Not an optional: in this generic type's methods (not specialised across modules) an
    /// optional class reference was copied and tested through its metadata's value witnesses.
    private let records: SpillRecords
    private let readsRecords: Bool
    private let order: [Int32]

    public init(_ facts: [FileFact<Fact>]) {
        total = facts.count
        pathsStrictlyIncrease = false
        pathAt = { facts[$0].path }
        factAt = { facts[$0].fact }
        recordAt = nil
        records = .none
        readsRecords = false
        order = []
    }

    /// `pathsIncrease`: each path sorts after the one before it (see `pathsStrictlyIncrease`).
    /// `record`: entry i's record bytes, for `withRecord(_:_:)` (nil: no entry has them).
    package init(count: Int, pathsIncrease: Bool = false, path: @escaping (Int) -> String, fact: @escaping (Int) -> Fact,
                 record: ((Int, (UnsafeRawBufferPointer) throws -> Void) -> Bool)? = nil) {
        total = count
        pathsStrictlyIncrease = pathsIncrease
        pathAt = path
        factAt = fact
        recordAt = record
        records = .none
        readsRecords = false
        order = []
    }

    /// Entries read from `records` (a fact column's): entry i is record `order[i]`, or record i
    /// when `order` is empty; each a tagged record (`CrossFileRule.writeTaggedRecord`).
    package init(count: Int, pathsIncrease: Bool, path: @escaping (Int) -> String, fact: @escaping (Int) -> Fact,
                 records: SpillRecords, order: [Int32]) {
        precondition(order.isEmpty || order.count == count, "one record number per entry")
        total = count
        pathsStrictlyIncrease = pathsIncrease
        pathAt = path
        factAt = fact
        recordAt = nil
        self.records = records
        readsRecords = true
        self.order = order
    }

    /// Reads entry `i` from its record in place (`body` reads its fields, and must read them all:
    /// the record is then checked to be at its end): the whole fact (`recordedFact`), or part of
    /// it or its bytes without the decoded value (a near-duplicate signature copied into a store,
    /// a copy's hash). False when the table holds no record for the entry or it does not read (truncated,
    /// damaged, unreadable temporary file, or `body` threw): then ask `fact(_:)`, which decodes
    /// the entry or stands in for it the way the table does. Not generic (a result of the caller's
    /// type, across the module, looked up its metadata for every record).
    /// The body must not read another entry of this table (`withRecord`, `fact(_:)`,
    /// `recordedFact(_:)`): the record is read in place, and the records of a fact column trap on
    /// such a nested read (`SpillLog.withBytes`). Read one entry, keep what is needed, then the next.
    public func withRecord(_ i: Int, _ body: (inout FactRecordReader) throws -> Void) -> Bool {
        if readsRecords {
            return records.withRecord(order.isEmpty ? i : Int(order[i]), tag: FactRecordFormat.recordV1) { try readWholeRecord($0, body) }
        }
        guard let recordAt else { return false }
        return recordAt(i) { try readWholeRecord($0, body) }
    }

    /// Whether each entry's path is known to sort after the one before it (as bytes): then one
    /// finding per entry, made in entry order, is in output order. False when not known.
    public let pathsStrictlyIncrease: Bool

    public var startIndex: Int { 0 }
    public var endIndex: Int { total }
    public subscript(i: Int) -> FileFact<Fact> { FileFact(path: pathAt(i), fact: factAt(i)) }
    /// The path of entry `i` (no fact decoded).
    public func path(_ i: Int) -> String { pathAt(i) }
    /// The fact of entry `i`.
    public func fact(_ i: Int) -> Fact { factAt(i) }
}

extension FactTable where Fact: FactRecord {
    /// Entry `i`'s fact read from its record in place (`withRecord`: no boxed value, no path), or
    /// decoded by the table when the entry has no record or it does not read. The same fact either
    /// way: `init(record:)` is the decode. One reader of the layout `write(to:)` writes, so a reduce
    /// does not copy it field by field.
    @inlinable
    public func recordedFact(_ i: Int) -> Fact {
        var read: Fact?
        if withRecord(i, { read = try Fact(record: &$0) }), let read { return read }
        return fact(i)
    }
}

/// Reads a record's fields with `body`, which must read them all. Not in `FactTable`: there it
/// would be generic over the table's fact.
private func readWholeRecord(_ raw: UnsafeRawBufferPointer, _ body: (inout FactRecordReader) throws -> Void) throws {
    var reader = FactRecordReader(raw)
    try body(&reader)
    guard reader.atEnd else { throw CompactCoderError.trailingBytes }
}

/// Collects a cross-file rule's diagnostics.
public struct CrossFileSink {
    public let rule: String
    public let severity: Severity
    public private(set) var diagnostics: [Diagnostic] = []
    /// Outside-world services (e.g. the online URL checker) provided by the engine.
    public var environment: LintEnvironment = .default
    /// Where findings go as they are reported, when the engine streams them (then `diagnostics`
    /// stays empty): a corpus of copies makes the reduce phase report every file.
    package var receiver: (any DiagnosticReceiver)?

    public init(rule: String, severity: Severity) {
        self.rule = rule
        self.severity = severity
    }

    public mutating func report(path: String, line: Int, column: Int = 1, _ message: String, fix: Fix? = nil) {
        let d = Diagnostic(rule: rule, severity: severity, path: path, line: line, column: column, message: message, fix: fix)
        if let receiver { receiver.add(d) } else { diagnostics.append(d) }
    }

    /// Reports findings that are made when they are read (see `DeferredFindings`); without a
    /// receiver they are made now. Their rule and severity are the findings' own.
    public mutating func report(deferred findings: DeferredFindings) {
        if let receiver { receiver.add(deferred: findings) } else { findings.forEach { diagnostics.append($0) } }
    }
}

/// Validated options of one rule: catalog defaults overlaid with config values.
public struct RuleOptions: Sendable {
    public private(set) var values: [String: JSONNode]

    public init(_ values: [String: JSONNode] = [:]) { self.values = values }

    public subscript(name: String) -> JSONNode? { values[name] }

    package mutating func set(_ name: String, _ node: JSONNode) { values[name] = node }

    /// The values as one JSON object (keys sorted), as a typed options struct is decoded from.
    package var object: JSONNode {
        JSONNode(.object(values.sorted { $0.key < $1.key }.map { ($0.key, $0.value.position, $0.value) }))
    }
}

/// A rule whose options decode into one typed struct (`Options`), the same struct for every
/// implementation sharing the id. Its defaults are the catalog's option specs, nowhere else.
public protocol RuleWithOptions {
    associatedtype Options: Decodable & Sendable
    static var id: String { get }
}

/// Thrown by a rule's `init` when an option value is well-typed but unusable (e.g. a bad regex).
public struct RuleOptionError: Error, Sendable, CustomStringConvertible {
    public var option: String
    public var message: String
    public init(option: String, message: String) {
        self.option = option
        self.message = message
    }
    public var description: String { "option '\(option)': \(message)" }
}
