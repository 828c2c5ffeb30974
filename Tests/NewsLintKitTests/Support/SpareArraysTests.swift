import Testing
@testable import NewsLintCore

/// `SpareArrays` (session 31): the pool behind `DecodeStorage` and `CensusStorage`. Each test
/// makes its own pool, so tests running alongside (which use the shared ones) cannot interfere.
@Suite struct SpareArraysTests {
    private static func base(_ a: [UInt32]) -> UnsafeRawPointer? {
        a.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    /// A kept array's storage is what the next `take` hands out, emptied, with its capacity.
    @Test func takeReusesTheKeptStorage() {
        let pool = SpareArrays<UInt32>(kept: 2, largestCapacity: 1 << 10)
        var a: [UInt32] = []
        a.reserveCapacity(100)
        a.append(contentsOf: 0..<100)
        let storage = Self.base(a)
        pool.keep(consume a)
        #expect(pool.count == 1)
        var taken = pool.take()
        #expect(taken.isEmpty && taken.capacity >= 100)
        taken.append(7)
        #expect(Self.base(taken) == storage, "the kept storage is written in place")
        #expect(pool.count == 0)
        #expect(pool.take().capacity == 0, "an empty pool gives a new empty array")
    }

    /// An array another holder still shares is never written through the pool: the taker gets storage of its own.
    @Test func aSharedArrayIsNotWritten() {
        let pool = SpareArrays<UInt32>(kept: 2, largestCapacity: 1 << 10)
        let held: [UInt32] = Array(0..<50)
        pool.keep(held)
        var taken = pool.take()
        taken.append(contentsOf: [9, 9, 9])
        #expect(held == Array(0..<50))
        #expect(Self.base(taken) != Self.base(held))
    }

    /// A kept array another holder still shares is let go, not emptied into new storage of its
    /// capacity: a chain of retained arrays (a preview keeping every file's bytes) would each hold
    /// the largest capacity seen (session 36).
    @Test func aSharedArrayDoesNotPassItsCapacityOn() {
        let pool = SpareArrays<UInt32>(kept: 2, largestCapacity: 1 << 12)
        var held: [UInt32] = []
        held.reserveCapacity(1_000)
        held.append(contentsOf: 0..<10)
        pool.keep(held)
        let taken = pool.take()
        #expect(taken.isEmpty && taken.capacity < 1_000)
        #expect(held == Array(0..<10))
        var unique: [UInt32] = []
        unique.reserveCapacity(1_000)
        pool.keep(consume unique)
        #expect(pool.take().capacity >= 1_000, "an array held by the pool alone keeps its storage")
    }

    /// At most `kept` arrays, none larger than `largestCapacity` and none without storage.
    @Test func boundsAreKept() {
        let pool = SpareArrays<UInt32>(kept: 3, largestCapacity: 64)
        pool.keep([])
        #expect(pool.count == 0, "no storage: nothing to keep")
        pool.keep([UInt32](repeating: 1, count: 65))
        #expect(pool.count == 0, "over the largest capacity")
        for _ in 0..<5 { pool.keep([UInt32](repeating: 1, count: 10)) }
        #expect(pool.count == 3)
    }

    /// `take(count:)` gives the last kept array as it was left when its count matches, else nothing
    /// (and lets that array go).
    @Test func takeCountMatchesOrLetsGo() {
        let pool = SpareArrays<UInt32>(kept: 3, largestCapacity: 64)
        pool.keep([1, 2, 3])
        #expect(pool.take(count: 3) == [1, 2, 3])
        pool.keep([1, 2, 3])
        #expect(pool.take(count: 4) == nil)
        #expect(pool.count == 0)
    }

    /// A document hands its decode's arrays back when it ends (`DocumentViews`' deinit). The pool
    /// is shared with tests running alongside, which may take the storage at once: tried until one
    /// round sees it kept (a dropped hand-back never does).
    @Test func aFinishedDocumentsDecodeIsKept() {
        #expect(DecodeStorage.spares.receivesStorage(of: { Document(path: "k.md", text: "中文字，新聞稿\n") }, { $0.scalars.cps }))
    }
}
