import Synchronization

/// The views of one document computed on first use and then shared (the scalar decode, the HTML
/// tokens, elements and blocks, the prose units, the byte-pair census, whether the bytes are
/// well-formed UTF-8, and the values the rules layer fills, such as the Liquid tags that span lines):
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
        var bodyText: BodyTextCount?
        var titleCuts: TitleCutsView?
        /// The rules layer's spans across lines (`ProseMask.spansAcrossLines`: Liquid tags, raw HTML blocks): byte ranges.
        var liquidAcrossLines: [Range<Int>]?
        var proseUnits: [(line: Int, range: Range<Int>)]?
        var bytePairs: BytePairCensus?
        var isValidUTF8: Bool?
        var encoding: DocumentEncoding?
        /// Not views: the document's line starts and bytes, held to be handed on at the end.
        var lineStarts: [Int]?
        var bytes: [UInt8]?
    }

    private let stored: Mutex<Stored>

    /// `lineStarts` and `bytes`: the document's, handed to `LineStartStorage` and `FileBytesStorage`
    /// at the end (empty: nothing to hand on).
    package init(lineStarts: [Int] = [], bytes: [UInt8] = []) {
        stored = Mutex(Stored(lineStarts: lineStarts, bytes: bytes))
    }

    /// Hands the scalar decode's arrays and the normalised body's scalars to `DecodeStorage`, the
    /// census' to `CensusStorage`, the line starts (the document's and the decode's) to
    /// `LineStartStorage`, the bytes to `FileBytesStorage`, the HTML tokens, attributes, elements
    /// and blocks to `HTMLStorage` and the prose units to `ProseUnitStorage`, for the next document's.
    deinit {
        // Moved out, so that the pool holds the only reference once the lock is open.
        let (decode, census, body, lineStarts, bytes) = stored.withLock { s in
            (s.scalars.take(), s.bytePairs.take(), s.normalizedBody.take(), s.lineStarts.take(), s.bytes.take())
        }
        let (html, elements, blocks, units) = stored.withLock { s in
            (s.html.take(), s.htmlElements.take(), s.htmlBlockRanges.take(), s.proseUnits.take())
        }
        if let decode { DecodeStorage.keep(decode) }
        if let census { CensusStorage.keep(census) }
        if let body { DecodeStorage.keep(body) }
        if let lineStarts { LineStartStorage.spares.keep(lineStarts) }
        if let bytes { FileBytesStorage.spares.keep(bytes) }
        if let html { HTMLStorage.keep(html) }
        if let elements { HTMLStorage.keep(elements) }
        if let blocks { HTMLStorage.blocks.keep(blocks) }
        if let units { ProseUnitStorage.spares.keep(units) }
    }

    /// The stored value, or `compute`'s (outside the lock) stored unless another thread stored first.
    /// Private and always inlined: each view gets its own concrete copy (no run-time generics).
    @inline(__always)
    private func value<T: Sendable>(_ read: (borrowing Stored) -> T?, _ write: (inout Stored, T) -> Void, _ compute: () -> T) -> T {
        if let value = stored.withLock({ read($0) }) { return value }
        let computed = compute()
        return stored.withLock { s in
            if let value = read(s) { return value }
            write(&s, computed)
            return computed
        }
    }

    package func scalars(_ compute: () -> ScalarDecode) -> ScalarDecode { value({ $0.scalars }, { $0.scalars = $1 }, compute) }
    /// The scalar decode when a rule has already made it, else nil (never computes it): for a
    /// rule with a cheaper way of its own when the decode is not there (the body normaliser).
    package var computedScalars: ScalarDecode? { stored.withLock { $0.scalars } }
    /// The scalar decode's scalars and narrow offsets when a rule has made it for a well-formed
    /// file, else nil (never computes it): what `sharedScalars` hands the body walks, read in the
    /// lock without copying the whole decode out (its line starts retained and released, and the
    /// optional decode copied and destroyed, for each asker).
    package var computedWellFormedScalars: (cps: [UInt32], offsets: [UInt32])? {
        stored.withLock { s -> (cps: [UInt32], offsets: [UInt32])? in
            guard s.scalars?.isValidUTF8 == true, case .narrow(let offsets)? = s.scalars?.offsets, let cps = s.scalars?.cps else { return nil }
            return (cps, offsets)
        }
    }
    package func html(_ compute: () -> HTMLView) -> HTMLView { value({ $0.html }, { $0.html = $1 }, compute) }
    package func htmlElements(_ compute: () -> HTMLElements) -> HTMLElements { value({ $0.htmlElements }, { $0.htmlElements = $1 }, compute) }
    package func htmlBlockRanges(_ compute: () -> [HTMLView.BlockRange]) -> [HTMLView.BlockRange] { value({ $0.htmlBlockRanges }, { $0.htmlBlockRanges = $1 }, compute) }
    package func isSiteTemplate(_ compute: () -> Bool) -> Bool { value({ $0.isSiteTemplate }, { $0.isSiteTemplate = $1 }, compute) }
    package func normalizedBody(_ compute: () -> NormalizedBodyView) -> NormalizedBodyView { value({ $0.normalizedBody }, { $0.normalizedBody = $1 }, compute) }
    package func bodyText(_ compute: () -> BodyTextCount) -> BodyTextCount { value({ $0.bodyText }, { $0.bodyText = $1 }, compute) }
    package func titleCuts(_ compute: () -> TitleCutsView) -> TitleCutsView { value({ $0.titleCuts }, { $0.titleCuts = $1 }, compute) }
    package func liquidAcrossLines(_ compute: () -> [Range<Int>]) -> [Range<Int>] { value({ $0.liquidAcrossLines }, { $0.liquidAcrossLines = $1 }, compute) }
    package func proseUnits(_ compute: () -> [(line: Int, range: Range<Int>)]) -> [(line: Int, range: Range<Int>)] { value({ $0.proseUnits }, { $0.proseUnits = $1 }, compute) }
    package func bytePairs(_ compute: () -> BytePairCensus) -> BytePairCensus { value({ $0.bytePairs }, { $0.bytePairs = $1 }, compute) }
    package func isValidUTF8(_ compute: () -> Bool) -> Bool { value({ $0.isValidUTF8 }, { $0.isValidUTF8 = $1 }, compute) }
    package func encoding(_ compute: () -> DocumentEncoding) -> DocumentEncoding { value({ $0.encoding }, { $0.encoding = $1 }, compute) }
    /// Whether the document is well-formed UTF-8 if a rule or the decode has found out, else nil.
    package var knownValidity: Bool? { stored.withLock { $0.isValidUTF8 } }
    /// Stores what the scalar decode found while decoding (it validates as it goes).
    package func recordValidity(_ valid: Bool) { stored.withLock { s in if s.isValidUTF8 == nil { s.isValidUTF8 = valid } } }
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

/// The body's real text as `body-empty` counts it (filled by the rules layer's `BodyText`): its
/// per-file check and its cross-file collect read the same body to the same limit, so the second
/// reads the first's count instead of walking the body (and testing the site-page globs) again.
package struct BodyTextCount: Sendable {
    package let letters: Int
    package let hash: UInt64
    package let hasContent: Bool
    /// Neither half reports the file: it has no front matter, or it is a site page whose body
    /// counted below the limit (a longer site page is counted and, at the limit, not exempt).
    package let exempt: Bool
    /// What the count depends on besides the document (the letter limit, the site-page options):
    /// a count made for other options is not reused.
    package let key: UInt64

    package init(letters: Int, hash: UInt64, hasContent: Bool, exempt: Bool, key: UInt64) {
        self.letters = letters
        self.hash = hash
        self.hasContent = hasContent
        self.exempt = exempt
        self.key = key
    }
}

/// A front-matter title as `title-boilerplate` splits it (filled by the rules layer's `TitleSplits`
/// and `TitleAffix.cuts`): its per-file check and its cross-file collect read the same title, so the
/// second reads the first's cuts instead of copying the title's bytes and walking them again.
/// The bounds are kept as `Int32` pairs (-1: none), so that the view is small: with optional
/// ranges (150 bytes) each read out of the lock took several `memcpy` calls (+2.5 M at agora ×1).
package struct TitleCutsView: Sendable {
    /// The front-matter entry the title was read from: a rule reading another key does not reuse it.
    package let entry: Int
    /// The title's UTF-8; nil when the value is not a scalar (nothing to cut).
    package let utf8: [UInt8]?
    private let firstIsColon: Bool, lastIsColon: Bool
    /// The bounds of the prefix piece and cut, the suffix piece and cut, and the first and last
    /// separator; a lower bound of -1: none.
    private let prefixPiece: (Int32, Int32), prefixCut: (Int32, Int32), suffixPiece: (Int32, Int32), suffixCut: (Int32, Int32)
    private let first: (Int32, Int32), last: (Int32, Int32)

    package init(entry: Int, utf8: [UInt8]?, prefix: (piece: Range<Int>, cut: Range<Int>)?, suffix: (piece: Range<Int>, cut: Range<Int>)?,
                 firstAny: (range: Range<Int>, isColon: Bool)?, lastAny: (range: Range<Int>, isColon: Bool)?) {
        self.entry = entry
        self.utf8 = utf8
        firstIsColon = firstAny?.isColon ?? false
        lastIsColon = lastAny?.isColon ?? false
        func bounds(_ r: Range<Int>?) -> (Int32, Int32) { r.map { (Int32(clamping: $0.lowerBound), Int32(clamping: $0.upperBound)) } ?? (-1, -1) }
        prefixPiece = bounds(prefix?.piece)
        prefixCut = bounds(prefix?.cut)
        suffixPiece = bounds(suffix?.piece)
        suffixCut = bounds(suffix?.cut)
        first = bounds(firstAny?.range)
        last = bounds(lastAny?.range)
    }

    @inline(__always)
    private static func range(_ b: (Int32, Int32)) -> Range<Int> { Int(b.0)..<Int(b.1) }

    /// The site name and what to delete of a prefix (`piece`, `cut`) and of a suffix.
    package var prefix: (piece: Range<Int>, cut: Range<Int>)? { prefixPiece.0 < 0 ? nil : (Self.range(prefixPiece), Self.range(prefixCut)) }
    package var suffix: (piece: Range<Int>, cut: Range<Int>)? { suffixPiece.0 < 0 ? nil : (Self.range(suffixPiece), Self.range(suffixCut)) }
    /// The first and last separator of all the lists, and whether each is a colon.
    package var firstAny: (range: Range<Int>, isColon: Bool)? { first.0 < 0 ? nil : (Self.range(first), firstIsColon) }
    package var lastAny: (range: Range<Int>, isColon: Bool)? { last.0 < 0 ? nil : (Self.range(last), lastIsColon) }
}

/// Spare storage for documents' line starts (`Document.lineStarts`), given back when a document is
/// done (`DocumentViews`' deinit) and written in place by the next file's: a `malloc` and a `free` a
/// file saved. A few kept (a document in flight and the next, per worker), of at most 512 KB each.
/// The scalar decode's line starts (`ScalarDecode.lineStarts`) are kept here too: two a document.
package enum LineStartStorage {
    package static let spares = SpareArrays<Int>(kept: 10, largestCapacity: 1 << 16)
}

/// Spare storage for the prose units (`Document.proseUnits()`), as `LineStartStorage`: one array a
/// document, written in place by the next file's.
package enum ProseUnitStorage {
    package static let spares = SpareArrays<(line: Int, range: Range<Int>)>(kept: 6, largestCapacity: 1 << 14)
}
