import Foundation
import Testing
@testable import NewsLintCore
@testable import NewsLintRules
@testable import NewsLintEngine
@testable import NewsLintReport
@testable import NewsLintServer
@testable import NewsLintCLI

/// The two-lane walk of long ranges reports exactly what one walk reports, in the same order
/// (overlapping matches, duplicate literals, matches straddling the middle, ranges not starting at 0).
@Suite struct AhoCorasickTwoLaneTests {
    func hits(_ scan: ((Int, Int, Int) -> Void) -> Void) -> [[Int]] {
        var out: [[Int]] = []
        scan { out.append([$0, $1, $2]) }
        return out
    }

    @Test func twoLanesEqualOneWalkOnRandomText() {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["首页", "首頁", "来源：", "原文链接", "ab", "abab", "b", "您的位置", "您的位置", "位置：", "Copyright ©"].map { Array($0.utf8) }
        for round in 0..<300 {
            let pats = (0..<Int.random(in: 1...8, using: &rng)).map { _ in pieces.randomElement(using: &rng) ?? [] }
            let ac = AhoCorasick(pats)
            var text: [UInt8] = []
            let target = Int.random(in: 0...(round % 3 == 0 ? 4_000 : 700), using: &rng)
            while text.count < target {
                if Int.random(in: 0..<4, using: &rng) == 0, let p = pats.randomElement(using: &rng) {
                    text += p
                } else {
                    text += Array(["新闻", "a", "b", "。", " ", "首", "位"].randomElement(using: &rng)?.utf8 ?? "".utf8)
                }
            }
            let lo = text.isEmpty ? 0 : Int.random(in: 0...min(text.count, 40), using: &rng)
            let hi = Int.random(in: lo...text.count, using: &rng)
            let two = hits { ac.scan(text, lo..<hi, $0) }
            let one = hits { ac.scanOneLane(text, lo..<hi, $0) }
            #expect(two == one)
        }
    }

    /// A match ending exactly at, just before and just after the middle of a long range.
    @Test func matchesAroundTheMiddle() {
        let literal = Array("原文链接".utf8)
        let ac = AhoCorasick([literal, Array("链接".utf8)])
        let filler = Array("新".utf8)
        for length in [AhoCorasick.twoLaneMinimum, AhoCorasick.twoLaneMinimum + 1, 1_001] {
            for shift in -literal.count...literal.count {
                var text = [UInt8](repeating: 0x61, count: length)
                let end = length / 2 + shift
                guard end - literal.count >= 0, end <= text.count else { continue }
                text.replaceSubrange((end - literal.count)..<end, with: literal)
                text += filler
                let two = hits { ac.scan(text, 0..<length, $0) }
                let one = hits { ac.scanOneLane(text, 0..<length, $0) }
                #expect(two == one)
                #expect(one.contains([0, end - literal.count, end]))
            }
        }
    }
}
