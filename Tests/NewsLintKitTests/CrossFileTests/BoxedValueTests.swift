import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules

/// `withBoxedValue` opens a box instead of casting it: it answers for a box holding exactly the
/// type, and nil for anything else, which the callers then cast as before (so a fact boxed inside
/// an optional is still recorded and still gives its quoted line).
@Suite struct BoxedValueTests {
    @Test func answersOnlyForExactlyTheType() {
        let fact = BoilerplateRepeatedRule.Fact(group: "host:example.org", hashes: [7, 9], lines: [3, 4])
        let boxed: any Sendable = fact
        #expect(withBoxedValue(boxed, as: BoilerplateRepeatedRule.Fact.self) { $0.hashes } == [7, 9])
        #expect(withBoxedValue(boxed, as: ContentDuplicateRule.Fact.self) { $0.line } == nil)
        let wrapped: any Sendable = Optional(fact)
        #expect(withBoxedValue(wrapped, as: BoilerplateRepeatedRule.Fact.self) { $0.hashes } == nil)
        #expect((wrapped as? BoilerplateRepeatedRule.Fact)?.hashes == [7, 9])
        let small: any Sendable = ContentDuplicateRule.Fact(hash: 1, length: 30, line: 5)
        #expect(withBoxedValue(small, as: ContentDuplicateRule.Fact.self) { $0.line } == 5)
    }

    /// A fact boxed as itself and one boxed inside an optional are written and read back alike;
    /// a value of another type is neither written nor stored.
    @Test func factColumnStoresWrappedFactsAsBefore() throws {
        let rule = try ContentDuplicateRule(options: RuleOptions())
        let erased = CrossFileBox(rule: rule)
        let fact = ContentDuplicateRule.Fact(hash: 42, length: 300, line: 6)
        var writer = FactRecordWriter()
        #expect(ContentDuplicateRule.writeBoxedRecord(fact, to: &writer))
        let direct = writer.bytes
        writer = FactRecordWriter()
        #expect(!ContentDuplicateRule.writeBoxedRecord(Optional(fact) as any Sendable, to: &writer))
        #expect(!ContentDuplicateRule.writeBoxedRecord("not a fact", to: &writer))
        #expect(writer.bytes.isEmpty)
        #expect(direct == (try erased.encodeCachedFact(fact)))
        #expect(erased.quotedLineErased(fact) == 6)
        #expect(erased.quotedLineErased(Optional(fact) as any Sendable) == 6)
        #expect(erased.quotedLineErased("not a fact") == nil)
        let column = TypedFactColumn(rule: rule)
        column.append(file: 0, fact: fact)
        column.append(file: 1, fact: Optional(fact) as any Sendable)
        column.append(file: 2, fact: "not a fact")
        #expect(column.count == 2)
        for i in 0..<2 {
            let stored = try #require(column.entry(i).fact as? ContentDuplicateRule.Fact)
            #expect(stored == fact)
        }
    }
}
