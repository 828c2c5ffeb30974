import Foundation

/// Type-erased cross-file rule so rules with different fact types share one list.
public protocol ErasedCrossFileRule: Sendable {
    func collectErased(_ document: Document, environment: LintEnvironment) -> (any Sendable)?
    func finishErased(_ facts: [(path: String, fact: any Sendable)], id: String, severity: Severity, environment: LintEnvironment) -> [Diagnostic]
    func encodeFact(_ fact: any Sendable) throws -> Data
    func decodeFact(_ data: Data) throws -> any Sendable
    /// The cache's form of a fact (`CompactCoder`: positional binary, far cheaper to decode than JSON).
    func encodeCachedFact(_ fact: any Sendable) throws -> [UInt8]
    func decodeCachedFact(_ bytes: [UInt8]) throws -> any Sendable
    /// Storage for this rule's facts over a run (see `FactColumn`).
    func makeFactColumn() -> any FactColumn
}

extension ErasedCrossFileRule {
    public func makeFactColumn() -> any FactColumn { BoxedFactColumn(rule: self) }
    public func encodeCachedFact(_ fact: any Sendable) throws -> [UInt8] { [UInt8](try encodeFact(fact)) }
    public func decodeCachedFact(_ bytes: [UInt8]) throws -> any Sendable { try decodeFact(Data(bytes)) }
}

/// One cross-file rule's facts over a run, in delivery order, and its reduce phase. Typed columns
/// store facts unboxed: an existential box per fact was the largest per-file cost of a streamed run.
/// Appended to from one thread at a time (the engine's delivery), never concurrently.
public protocol FactColumn: AnyObject {
    func append(file: Int, fact: any Sendable)
    var count: Int { get }
    func entry(_ i: Int) -> (file: Int, fact: any Sendable)
    /// Runs the reduce phase over the facts (sorted by path) and releases them. With `into`, the
    /// findings go there as they are reported and the result is empty.
    func finish(paths: [String], id: String, severity: Severity, environment: LintEnvironment, into receiver: (any DiagnosticReceiver)?) -> [Diagnostic]
}

/// Takes findings as they are reported (the engine's sorted runs), so a reduce phase that reports
/// every file of a large corpus does not hold them all as values.
public protocol DiagnosticReceiver: AnyObject {
    func add(_ diagnostic: Diagnostic)
}

extension FactColumn {
    /// (path, fact) sorted by path, as the reduce phase receives them.
    package func sortedEntries<F>(_ entries: [(file: Int, fact: F)], paths: [String]) -> [FileFact<F>] {
        var facts = entries.map { FileFact(path: paths[$0.file], fact: $0.fact) }
        facts.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        return facts
    }
}

package final class TypedFactColumn<R: CrossFileRule>: FactColumn, @unchecked Sendable {
    package let rule: R
    private var entries: [(file: Int, fact: R.Fact)] = []
    package init(rule: R) { self.rule = rule }

    package func append(file: Int, fact: any Sendable) {
        if let typed = fact as? R.Fact { entries.append((file, typed)) }
    }
    package var count: Int { entries.count }
    package func entry(_ i: Int) -> (file: Int, fact: any Sendable) { (entries[i].file, entries[i].fact) }

    package func finish(paths: [String], id: String, severity: Severity, environment: LintEnvironment, into receiver: (any DiagnosticReceiver)?) -> [Diagnostic] {
        let facts = sortedEntries(entries, paths: paths)
        entries = []
        var sink = CrossFileSink(rule: id, severity: severity)
        sink.environment = environment
        sink.receiver = receiver
        rule.finish(facts, into: &sink)
        return sink.diagnostics
    }
}

/// The column of a type-erased rule without a typed one.
package final class BoxedFactColumn: FactColumn, @unchecked Sendable {
    package let rule: any ErasedCrossFileRule
    private var entries: [(file: Int, fact: any Sendable)] = []
    package init(rule: any ErasedCrossFileRule) { self.rule = rule }

    package func append(file: Int, fact: any Sendable) { entries.append((file, fact)) }
    package var count: Int { entries.count }
    package func entry(_ i: Int) -> (file: Int, fact: any Sendable) { entries[i] }

    package func finish(paths: [String], id: String, severity: Severity, environment: LintEnvironment, into receiver: (any DiagnosticReceiver)?) -> [Diagnostic] {
        let facts = sortedEntries(entries, paths: paths).map { (path: $0.path, fact: $0.fact) }
        entries = []
        let found = rule.finishErased(facts, id: id, severity: severity, environment: environment)
        guard let receiver else { return found }
        for d in found { receiver.add(d) }
        return []
    }
}

package struct CrossFileBox<R: CrossFileRule>: ErasedCrossFileRule {
    package let rule: R

    package func collectErased(_ document: Document, environment: LintEnvironment) -> (any Sendable)? { rule.collect(document, environment: environment) }

    package func finishErased(_ facts: [(path: String, fact: any Sendable)], id: String, severity: Severity, environment: LintEnvironment) -> [Diagnostic] {
        let typed = facts.compactMap { f in (f.fact as? R.Fact).map { FileFact(path: f.path, fact: $0) } }
        var sink = CrossFileSink(rule: id, severity: severity)
        sink.environment = environment
        rule.finish(typed, into: &sink)
        return sink.diagnostics
    }

    package func encodeFact(_ fact: any Sendable) throws -> Data {
        guard let typed = fact as? R.Fact else { throw CocoaError(.coderInvalidValue) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(typed)
    }

    package func decodeFact(_ data: Data) throws -> any Sendable { try JSONDecoder().decode(R.Fact.self, from: data) }

    package func encodeCachedFact(_ fact: any Sendable) throws -> [UInt8] {
        guard let typed = fact as? R.Fact else { throw CocoaError(.coderInvalidValue) }
        return try CompactCoder.encode(typed)
    }

    package func decodeCachedFact(_ bytes: [UInt8]) throws -> any Sendable { try CompactCoder.decode(R.Fact.self, from: bytes) }

    package func makeFactColumn() -> any FactColumn { TypedFactColumn(rule: rule) }
}

extension CrossFileRule {
    public static func erased(options: RuleOptions) throws -> any ErasedCrossFileRule { CrossFileBox(rule: try Self(options: options)) }
}
