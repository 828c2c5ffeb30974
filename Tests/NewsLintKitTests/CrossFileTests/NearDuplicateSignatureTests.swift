import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// `content-near-duplicate`'s one-permutation signature: binned minima, densified empty bins, and
/// how well agreement between two signatures estimates the Jaccard similarity of the shingle sets.
@Suite struct NearDuplicateSignatureTests {
    /// Deterministic pseudo-random scalars (tests must not depend on the system's random source).

    static func text(_ scalars: [UInt32]) -> String { String(String.UnicodeScalarView(scalars.compactMap(Unicode.Scalar.init))) }

    static func signature(_ rule: ContentNearDuplicateRule, _ scalars: [UInt32], path: String = "a.md") throws -> [UInt16] {
        try #require(rule.collect(Document(path: path, text: text(scalars) + "\n"))).signature
    }

    /// The exact Jaccard similarity of two bodies' sets of `k`-scalar shingles.
    static func jaccard(_ a: [UInt32], _ b: [UInt32], k: Int = 5) -> Double {
        func shingles(_ s: [UInt32]) -> Set<[UInt32]> { Set((0...(s.count - k)).map { Array(s[$0..<($0 + k)]) }) }
        let x = shingles(a), y = shingles(b)
        return Double(x.intersection(y).count) / Double(x.union(y).count)
    }

    @Test func densificationFillsEveryBinFromAFilledOne() throws {
        let rule = try ContentNearDuplicateRule(options: RuleOptions())
        var random = SeededRandom(seed: 11)
        // 50 scalars: 46 shingles for 144 bins, so most bins are empty before densification.
        let body = random.hanzi(50)
        let minima = try #require(ContentNearDuplicateRule.binMinima(body, size: 5, bins: 144, budget: nil))
        let filled = minima.filter { $0 != .max }
        #expect(!filled.isEmpty && filled.count < 144)
        let signature = ContentNearDuplicateRule.densified(minima)
        #expect(signature.count == 144)
        let values = Set(filled.map { UInt16(truncatingIfNeeded: $0) })
        #expect(signature.allSatisfy { values.contains($0) })
        for b in 0..<144 where minima[b] != .max { #expect(signature[b] == UInt16(truncatingIfNeeded: minima[b])) }
        // Deterministic: the same body, another time and another path, gives the same signature.
        #expect(ContentNearDuplicateRule.densified(minima) == signature)
        #expect(try Self.signature(rule, body) == signature)
        #expect(try Self.signature(rule, body, path: "other/b.md") == signature)
    }

    @Test func oneFilledBinFillsAllOfThem() {
        var minima = [UInt64](repeating: .max, count: 1024)
        minima[700] = 0xABCD_1234
        #expect(ContentNearDuplicateRule.densified(minima) == [UInt16](repeating: 0x1234, count: 1024))
    }

    @Test func identicalBodiesGiveIdenticalSignatures() throws {
        let rule = try ContentNearDuplicateRule(options: RuleOptions())
        var random = SeededRandom(seed: 12)
        let body = Self.text(random.hanzi(800))
        let a = try #require(rule.collect(Document(path: "a.md", text: "---\ntitle: 甲\n---\n" + body + "\n")))
        // Other front matter, a blank line and full-width spacing: the same normalised body.
        let b = try #require(rule.collect(Document(path: "b/c.md", text: "---\ntitle: 乙\ndate: 2024-01-02\n---\n\n" + body + "\u{3000}\n")))
        #expect(a.signature == b.signature && a.hash == b.hash)
        #expect(ContentNearDuplicateRule.similarity(a.signature, b.signature) == 1)
    }

    @Test func shortAndEmptyBodies() throws {
        let rule = try ContentNearDuplicateRule(options: RuleOptions())
        var random = SeededRandom(seed: 13)
        #expect(rule.collect(Document(path: "a.md", text: "")) == nil)
        #expect(rule.collect(Document(path: "a.md", text: "---\ntitle: t\n---\n")) == nil)
        #expect(rule.collect(Document(path: "a.md", text: Self.text(random.hanzi(49)) + "\n")) == nil)
        #expect(try Self.signature(rule, random.hanzi(50)).count == 144)
        // One distinct shingle: every bin holds it.
        let same = try Self.signature(rule, [UInt32](repeating: 0x4E00, count: 60))
        #expect(Set(same).count == 1)
        // Fewer scalars than a shingle (an option allowing it): every bin empty, nothing to fill from.
        let empty = try #require(ContentNearDuplicateRule.binMinima([0x4E00, 0x4E01], size: 5, bins: 144, budget: nil))
        #expect(empty.allSatisfy { $0 == .max })
        #expect(ContentNearDuplicateRule.densified(empty).count == 144)
    }

    /// Pairs built to a known similarity (a shared run of text plus text of each one's own): the
    /// estimate stays within a few standard errors (√(J(1−J)/144) ≤ 0.042) of the exact Jaccard
    /// similarity, and the mean error over many pairs is small (no bias from densification).
    @Test func estimateTracksExactJaccard() throws {
        let rule = try ContentNearDuplicateRule(options: RuleOptions())
        var random = SeededRandom(seed: 14)
        var errors: [Double] = []
        for shared in [100, 300, 600, 900, 1200] {
            for own in [40, 150, 300] {
                for _ in 0..<4 {
                    let common = random.hanzi(shared)
                    let a = common + random.hanzi(own), b = random.hanzi(own) + common
                    let exact = Self.jaccard(a, b)
                    let estimate = ContentNearDuplicateRule.similarity(try Self.signature(rule, a), try Self.signature(rule, b))
                    #expect(abs(estimate - exact) < 0.17, "shared \(shared), own \(own): exact \(exact), estimate \(estimate)")
                    errors.append(estimate - exact)
                }
            }
        }
        let bias = errors.reduce(0, +) / Double(errors.count)
        let rms = (errors.map { $0 * $0 }.reduce(0, +) / Double(errors.count)).squareRoot()
        #expect(abs(bias) < 0.015, "bias \(bias)")
        #expect(rms < 0.05, "standard error \(rms)")
    }

    /// Short bodies leave most bins empty and densification copies the filled ones: the estimate
    /// is noisier but not biased.
    @Test func estimateOfShortBodiesIsUnbiased() throws {
        let rule = try ContentNearDuplicateRule(options: RuleOptions())
        var random = SeededRandom(seed: 15)
        var errors: [Double] = []
        for _ in 0..<60 {
            let common = random.hanzi(60)
            let a = common + random.hanzi(20), b = random.hanzi(20) + common
            let estimate = ContentNearDuplicateRule.similarity(try Self.signature(rule, a), try Self.signature(rule, b))
            errors.append(estimate - Self.jaccard(a, b))
        }
        let bias = errors.reduce(0, +) / Double(errors.count)
        #expect(abs(bias) < 0.03, "bias \(bias)")
    }

    @Test func factsCarryTheirSignatureScheme() throws {
        let rule = try ContentNearDuplicateRule.erased(options: RuleOptions())
        let fact = ContentNearDuplicateRule.Fact(hash: 9, line: 4, signature: Array(repeating: 3, count: 144), minutes: nil)
        let data = try rule.encodeFact(fact)
        #expect(String(decoding: data, as: UTF8.self).contains("\"scheme\":\(ContentNearDuplicateRule.Fact.signatureScheme)"))
        #expect(try rule.decodeFact(data) as? ContentNearDuplicateRule.Fact == fact)
        // A facts file of an older newslint (no scheme: 144 permutations) is refused, not compared.
        let old = Data("{\"hash\":9,\"line\":4,\"signature\":[\(Array(repeating: "3", count: 144).joined(separator: ","))]}".utf8)
        #expect(throws: DecodingError.self) { try rule.decodeFact(old) }
    }
}

extension SeededRandom {
    /// `count` random ideographs from the start of the CJK block.
    mutating func hanzi(_ count: Int) -> [UInt32] { (0..<count).map { _ in UInt32(0x4E00 + below(3000)) } }
}
