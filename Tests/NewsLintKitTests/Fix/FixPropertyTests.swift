import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// The fixer's guarantees, checked on thousands of generated documents with a fixed seed:
/// after fixing no fixable finding is left, nothing new appears, and fixing is idempotent.
@Suite struct FixPropertyTests {
    static let cases = 2_000

    func linter(_ allowed: Applicability) throws -> Linter {
        var settings = LintSettings()
        settings.fix = .preview(allowed)
        settings.jobs = activeCoreCount
        settings.baseDirectory = "/nonexistent-property-root"
        return try Linter(catalog: .builtin, config: Configuration(directory: "/nonexistent-property-root"), settings: settings)
    }

    func checkProperties(_ allowed: Applicability) throws {
        let fixer = try linter(allowed)
        var plain = LintSettings()
        plain.jobs = 1
        plain.baseDirectory = "/nonexistent-property-root"
        let checker = try Linter(catalog: .builtin, config: Configuration(directory: "/nonexistent-property-root"), settings: plain)
        let docs = (0..<Self.cases).map { DefectCorpus.document(seed: UInt64($0) &* 7919 &+ 17) }
        let first = fixer.lint(docs.map { .text(path: $0.path, bytes: $0.bytes) })
        var failures: [String] = []
        for (i, outcome) in first.files.enumerated() {
            let original = docs[i].bytes
            let fixed = outcome.fix?.fixed ?? original
            if let reason = outcome.fix?.rolledBack { failures.append("\(outcome.path): rolled back: \(reason)"); continue }
            if outcome.fix?.hitPassLimit == true { failures.append("\(outcome.path): pass limit hit") }
            let before = checker.check(Document(path: outcome.path, bytes: original), rules: checker.baseRules)
            let after = checker.check(Document(path: outcome.path, bytes: fixed), rules: checker.baseRules)
            let leftover = after.filter { ($0.fix?.applicability).map { $0 <= allowed } ?? false }
            if !leftover.isEmpty { failures.append("\(outcome.path): fixable left: \(leftover.map { "\($0.rule)@\($0.line):\($0.column) \($0.message)" })") }
            var counts: [String: Int] = [:]
            for d in before { counts[d.rule, default: 0] += 1 }
            for (rule, n) in Dictionary(grouping: after, by: \.rule).mapValues(\.count) where n > counts[rule, default: 0] {
                failures.append("\(outcome.path): new \(rule) findings (\(counts[rule, default: 0]) -> \(n))")
            }
            if failures.count > 10 { break }
        }
        // Idempotence: fixing the fixed corpus changes nothing.
        let fixedDocs = first.files.enumerated().map { i, o in LintInput.text(path: o.path, bytes: o.fix?.fixed ?? docs[i].bytes) }
        let second = fixer.lint(fixedDocs)
        for (i, o) in second.files.enumerated() {
            guard case let .text(_, input) = fixedDocs[i] else { continue }
            if let again = o.fix?.fixed, again != input { failures.append("\(o.path): fix(fix(x)) != fix(x)") }
            if failures.count > 20 { break }
        }
        #expect(failures.isEmpty, "\(failures.prefix(20).joined(separator: "\n"))")
    }

    @Test func safeFixesReachAFixpoint() throws { try checkProperties(.safe) }

    @Test func unsafeFixesReachAFixpoint() throws { try checkProperties(.unsafe) }

    @Test func generatorIsDeterministicAndMixed() {
        let a = (0..<50).map { DefectCorpus.document(seed: UInt64($0)).bytes }
        let b = (0..<50).map { DefectCorpus.document(seed: UInt64($0)).bytes }
        #expect(a == b)
        let texts = a.map { String(decoding: $0, as: UTF8.self) }
        #expect(texts.contains { $0.contains("\r\n") } && texts.contains { !$0.contains("\r\n") })
        #expect(texts.contains { $0.hasPrefix("---") } && texts.contains { !$0.hasPrefix("---") })
        #expect(texts.contains { $0.contains("學校") } && texts.contains { $0.contains("学校") })
    }
}
