import Foundation
import NewsLintCore

/// `content-duplicate`: bodies identical after normalisation. Fact: 8-byte hash, length, line.
public struct ContentDuplicateRule: CrossFileRule, RuleWithOptions {
    public static let id = "content-duplicate"
    /// 16 bytes, kept for every file until the reduce phase. The JSON form is unchanged.
    public struct Fact: Codable, Sendable, Equatable, FactRecord {
        public var hash: UInt64
        private var length32: UInt32
        private var line32: UInt32

        public init(hash: UInt64, length: Int, line: Int) {
            self.hash = hash
            length32 = UInt32(clamping: length)
            line32 = UInt32(clamping: line)
        }

        public var length: Int { Int(length32) }
        public var line: Int { Int(line32) }

        package enum CodingKeys: String, CodingKey { case hash, length, line }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            hash = try c.decode(UInt64.self, forKey: .hash)
            length32 = try c.decode(UInt32.self, forKey: .length)
            line32 = try c.decode(UInt32.self, forKey: .line)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(hash, forKey: .hash)
            try c.encode(length, forKey: .length)
            try c.encode(line, forKey: .line)
        }

        public func write(to record: inout FactRecordWriter) {
            record.fixed64(hash)
            record.fixed32(length32)
            record.fixed32(line32)
        }

        public init(record: inout FactRecordReader) throws {
            hash = try record.fixed64()
            length32 = try record.fixed32()
            line32 = try record.fixed32()
        }
    }
    package let minLength: Int

    public struct Options: Decodable, Sendable { var minLength: Int }

    /// A finding on a file points at its fact's line.
    public static func quotedLine(of fact: Fact) -> Int? { fact.line }

    public init(options: RuleOptions) throws {
        minLength = try Self.decodeOptions(options).minLength
        guard minLength >= 1 else { throw RuleOptionError(option: "minLength", message: "must be at least 1") }
    }

    public func collect(_ document: Document) -> Fact? {
        let (hash, length) = normalizedBodyHash(document)
        guard length >= minLength else { return nil }
        return Fact(hash: hash, length: length, line: document.bodyStartLine)
    }

    public func finish(_ facts: FactTable<Fact>, into sink: inout CrossFileSink) {
        struct Key: Hashable { var hash: UInt64; var length: UInt32 }
        // Each record read once (`recordedFact`), its key and line kept (20 bytes a file while the
        // groups are made). Facts by index: a path is read (decoded from the engine's path list)
        // only for a finding.
        var keys: [Key] = [], fileLines: [UInt32] = []
        keys.reserveCapacity(facts.count)
        fileLines.reserveCapacity(facts.count)
        for i in facts.indices {
            let fact = facts.recordedFact(i)
            keys.append(Key(hash: fact.hash, length: UInt32(truncatingIfNeeded: fact.length)))
            fileLines.append(UInt32(truncatingIfNeeded: fact.line))
        }
        let groups = ChainGroups(keys)
        keys = []
        // The files in groups of two or more, with their lines: what the findings are made from.
        var members: [Int32] = [], lines: [UInt32] = []
        for i in facts.indices where groups.size(of: i) > 1 {
            members.append(Int32(truncatingIfNeeded: i))
            lines.append(fileLines[i])
        }
        fileLines = []
        guard !members.isEmpty else { return }
        // The recipe keeps the groups of the members only (by position in `members`), not a
        // table over every file, through the output.
        let memberGroups = ChainGroups(restrictedTo: members, of: groups)
        let findings = DuplicateFindings(rule: sink.rule, severity: sink.severity, groups: memberGroups, members: members, lines: lines,
                                         path: { [members] p in facts.path(Int(members[p])) })
        // Made as the output reads them: one finding per file, in file order, which is output order
        // when the paths increase.
        sink.report(deferred: DeferredFindings(count: members.count, inOutputOrder: facts.pathsStrictlyIncrease, makePass: findings.pass))
    }
}

/// content-duplicate's findings, made batch by batch: each member's path is decoded once and each
/// distinct listing built once (`OtherMembers`), when the output reaches them.
private struct DuplicateFindings {
    let rule: String
    let severity: Severity
    /// The members' groups, by position in `members`.
    let groups: ChainGroups
    /// Files in groups of two or more, in file order, and the line each finding points at.
    let members: [Int32]
    let lines: [UInt32]
    /// The path of the member at a position.
    let path: (Int) -> String

    /// Findings made per call of a pass.
    static let batchSize = 256

    func pass() -> () -> [Diagnostic] {
        var next = 0
        var listings = OtherMembers()
        // Each message is assembled as UTF-8 in one buffer and made a string once (without a
        // second validation: its pieces are strings' bytes and ASCII), where the listing and then
        // the message were built from ~15 string pieces.
        var message: [UInt8] = []
        message.reserveCapacity(512)
        return {
            var batch: [Diagnostic] = []
            batch.reserveCapacity(min(Self.batchSize, members.count - next))
            while next < members.count && batch.count < Self.batchSize {
                let size = groups.size(of: next)
                message.removeAll(keepingCapacity: true)
                appendLiteral("body is identical to ", to: &message)
                let own = listings.visit(next, in: groups, path: path, appendingListingTo: &message)
                appendLiteral(" (group of ", to: &message)
                appendDecimal(size, to: &message)
                appendLiteral(" files)", to: &message)
                let text = message.withUnsafeBufferPointer { String(knownValidUTF8: $0) } ?? String(decoding: message, as: UTF8.self)
                batch.append(Diagnostic(rule: rule, severity: severity, path: own, line: Int(lines[next]), column: 1, message: text))
                next += 1
            }
            return batch
        }
    }
}
