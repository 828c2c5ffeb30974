import Testing
@testable import NewsLintCore

/// Session 19: `Array(stagingCount:initializingWith:)` makes the array `Array(unsafeUninitializedCapacity:)`
/// would, on both sides of its 1 KB staging limit.
@Suite struct StagedArrayTests {
    @Test func stagedArraysHoldWhatWasWritten() {
        for count in [0, 1, 7, 127, 128, 129, 511, 512, 513, 4_000] {
            let staged = [UInt16](stagingCount: count) { out in
                for k in 0..<out.count { out[k] = UInt16(truncatingIfNeeded: k &* 31 &+ 7) }
            }
            let plain = (0..<count).map { UInt16(truncatingIfNeeded: $0 &* 31 &+ 7) }
            #expect(staged == plain, "\(count)")
            let wide = [UInt64](stagingCount: count) { $0.initialize(repeating: .max) }
            #expect(wide == [UInt64](repeating: .max, count: count), "\(count)")
        }
    }

    @Test func theBufferHasExactlyTheCount() {
        for count in [1, 128, 129, 300] {
            var seen = -1
            _ = [UInt64](stagingCount: count) { out in
                seen = out.count
                out.initialize(repeating: 0)
            }
            #expect(seen == count)
        }
    }

    /// Session 30: `Array(zeroedCount:)` equals `Array(repeating: 0, count:)` on both sides of the
    /// zeroed page's size for each element width.
    @Test func zeroedArraysEqualThePlainOnes() {
        var rng = SeededRandom(seed: 30_017)
        func counts(stride: Int) -> [Int] {
            let fit = zeroedPageBytes / stride
            return [0, 1, 2, 7, 64, 1_000, fit - 1, fit, fit + 1, 2 * fit + 3] + (0..<20).map { _ in rng.below(fit + 100) }
        }
        for count in counts(stride: 1) {
            #expect([UInt8](zeroedCount: count) == [UInt8](repeating: 0, count: count), "\(count)")
            #expect([Bool](zeroedCount: count) == [Bool](repeating: false, count: count), "\(count)")
        }
        for count in counts(stride: 8) {
            #expect([UInt64](zeroedCount: count) == [UInt64](repeating: 0, count: count), "\(count)")
        }
    }
}
