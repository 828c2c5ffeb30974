import Synchronization

/// The views of one document computed on first use and then shared (the scalar decode, the HTML
/// tokens, elements and blocks, the prose units, the byte-pair census, and two values the rules layer fills):
/// rules that never ask do not pay, and the first rule that asks pays for all the others in the pass.
///
/// One object per document with concrete fields, not one generic `ComputedOnce` per view: the generic
/// holder looked up its type metadata at run time (`swift_getGenericMetadata`) in every fill and
/// every deinit, and cost seven allocations per document.
///
/// A view is computed outside the lock (computing one may ask for another: the HTML elements read
/// the HTML tokens); if two threads race, both compute the same value and the first one stored wins.
/// The engine runs one document's rules on one thread, so the lock is not contended.
package final class DocumentViews: Sendable {
    private struct Stored {
        var scalars: ScalarDecode?
        var html: HTMLView?
        var htmlElements: HTMLElements?
        var htmlBlockRanges: [HTMLView.BlockRange]?
        var isSiteTemplate: Bool?
        var normalizedBody: NormalizedBodyView?
        var proseUnits: [(line: Int, range: Range<Int>)]?
        var bytePairs: BytePairCensus?
    }

    private let stored = Mutex(Stored())

    package init() {}

    package func scalars(_ compute: () -> ScalarDecode) -> ScalarDecode {
        if let value = stored.withLock({ $0.scalars }) { return value }
        let computed = compute()
        return stored.withLock { s in
            if let value = s.scalars { return value }
            s.scalars = computed
            return computed
        }
    }

    package func html(_ compute: () -> HTMLView) -> HTMLView {
        if let value = stored.withLock({ $0.html }) { return value }
        let computed = compute()
        return stored.withLock { s in
            if let value = s.html { return value }
            s.html = computed
            return computed
        }
    }

    package func htmlElements(_ compute: () -> HTMLElements) -> HTMLElements {
        if let value = stored.withLock({ $0.htmlElements }) { return value }
        let computed = compute()
        return stored.withLock { s in
            if let value = s.htmlElements { return value }
            s.htmlElements = computed
            return computed
        }
    }

    package func htmlBlockRanges(_ compute: () -> [HTMLView.BlockRange]) -> [HTMLView.BlockRange] {
        if let value = stored.withLock({ $0.htmlBlockRanges }) { return value }
        let computed = compute()
        return stored.withLock { s in
            if let value = s.htmlBlockRanges { return value }
            s.htmlBlockRanges = computed
            return computed
        }
    }

    package func isSiteTemplate(_ compute: () -> Bool) -> Bool {
        if let value = stored.withLock({ $0.isSiteTemplate }) { return value }
        let computed = compute()
        return stored.withLock { s in
            if let value = s.isSiteTemplate { return value }
            s.isSiteTemplate = computed
            return computed
        }
    }

    package func normalizedBody(_ compute: () -> NormalizedBodyView) -> NormalizedBodyView {
        if let value = stored.withLock({ $0.normalizedBody }) { return value }
        let computed = compute()
        return stored.withLock { s in
            if let value = s.normalizedBody { return value }
            s.normalizedBody = computed
            return computed
        }
    }

    package func proseUnits(_ compute: () -> [(line: Int, range: Range<Int>)]) -> [(line: Int, range: Range<Int>)] {
        if let value = stored.withLock({ $0.proseUnits }) { return value }
        let computed = compute()
        return stored.withLock { s in
            if let value = s.proseUnits { return value }
            s.proseUnits = computed
            return computed
        }
    }

    package func bytePairs(_ compute: () -> BytePairCensus) -> BytePairCensus {
        if let value = stored.withLock({ $0.bytePairs }) { return value }
        let computed = compute()
        return stored.withLock { s in
            if let value = s.bytePairs { return value }
            s.bytePairs = computed
            return computed
        }
    }
}

/// The body as the duplicate rules compare it (filled by the rules layer's `BodyNormalizer`): its
/// normalised scalars and their hash, computed in the same walk so that `content-duplicate` and
/// `content-near-duplicate` neither walk the scalars again nor hash them twice.
package struct NormalizedBodyView: Sendable {
    package let scalars: [UInt32]
    package let hash: UInt64

    package init(scalars: [UInt32], hash: UInt64) {
        self.scalars = scalars
        self.hash = hash
    }
}
