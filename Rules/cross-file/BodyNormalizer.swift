import Foundation
import NewsLintCore

/// The body as a sequence of comparable scalars, so that two captures of one article compare
/// equal: front matter dropped; what a web archive rewrites between captures dropped (link
/// destinations, HTML tags, archive prefixes and timestamps in bare URLs, URL schemes);
/// Markdown link brackets dropped, so a link and its flattened text compare equal; whitespace
/// (ASCII, NBSP, ideographic space, zero-width) removed; full-width ASCII and half-width CJK
/// punctuation folded to one width, so re-typeset copies compare equal.
package enum BodyNormalizer {
    @inline(__always)
    package static func fold(_ s: UInt32) -> UInt32? {
        // Printable ASCII and U+3001…U+FEFE (CJK text and punctuation): kept as they are, one test
        // for nearly every scalar of a Chinese body instead of the switch's range tests.
        if s &- 0x21 < 0x5F || s &- 0x3001 < 0xFEFF - 0x3001 { return s }
        return plainFold(s)
    }

    /// `fold` without its fast path (the equivalence tests check the two agree on every scalar).
    @inline(__always)
    package static func plainFold(_ s: UInt32) -> UInt32? {
        switch s {
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x3000, 0x200B, 0xFEFF: return nil
        case 0xFF01...0xFF5E: return s - 0xFEE0
        case 0xFF61: return 0x3002 // ｡ -> 。
        case 0xFF62: return 0x300C // ｢ -> 「
        case 0xFF63: return 0x300D // ｣ -> 」
        case 0xFF64: return 0x3001 // ､ -> 、
        case 0xFF65: return 0x30FB // ･ -> ・
        default: return s
        }
    }

    /// Receives the normalised scalars of a body. The walks are generic over it and inlined into
    /// their caller, so a sink's state (a count, a running hash) can stay in registers: a closure's
    /// captured variables were stored and reloaded for every scalar.
    package protocol Sink {
        mutating func put(_ scalar: UInt32)
        /// Puts the folded scalars of `scalars[from..<end]` (the dropped ones skipped) and returns
        /// where it stopped: at `end`, or when `stopAtMarkup`, at an ASCII scalar (which the Markdown
        /// walk tests for what is dropped) no later than the first that may start what is dropped
        /// (`mayStartDropped`); stopping at any ASCII scalar is right too, the walk puts it itself.
        /// A sink with a buffer folds a run in one loop (`foldRun`).
        mutating func putFolding(_ scalars: UnsafeBufferPointer<UInt32>, from: Int, to end: Int, stopAtMarkup: Bool) -> Int
    }

    /// `put` of each folded scalar of `scalars[from..<end]` up to `end` or, when `stopAtMarkup`,
    /// the first ASCII scalar: `Sink.putFolding` for a sink without a buffer of its own.
    @inline(__always)
    package static func putEachFolding<S: Sink>(_ scalars: UnsafeBufferPointer<UInt32>, from: Int, to end: Int, stopAtMarkup: Bool, into sink: inout S) -> Int {
        var k = from
        while k < end {
            let s = scalars[k]
            if stopAtMarkup && s < 0x80 { return k }
            if let f = fold(s) { sink.put(f) }
            k &+= 1
        }
        return end
    }

    /// Folds `scalars[from..<end]` into `out` (the dropped ones skipped), hashing what it writes
    /// into `hash` (`normalizedBodyHash`'s FNV-1a), until `end` or, when `stopAtMarkup`, the first
    /// ASCII scalar that may start what the Markdown walk drops (`mayStartDropped`). Returns where
    /// it stopped and how many it wrote (at most `end - from`).
    /// CJK text and punctuation (U+3001…U+FEFE, nearly every scalar of a Chinese body) is copied
    /// in an inner loop of its own, one range test a scalar: `fold`'s two tests were combined
    /// without a branch (~17 instructions a scalar with the store and the hash, then ~11), and
    /// four scalars a step while all four are kept (~7 a scalar in a block; ~13% less a run).
    /// The Markdown walk's other ASCII scalars (the digits of `10月`, a line feed) are folded here
    /// too: stopping at each, the walk returned to its caller, tested and put it (~35 instructions).
    @inline(__always)
    package static func foldRun(_ scalars: UnsafeBufferPointer<UInt32>, from: Int, to end: Int, stopAtMarkup: Bool,
                                into out: UnsafeMutablePointer<UInt32>, hash: inout UInt64) -> (next: Int, written: Int) {
        var k = from, written = 0
        var h = hash
        defer { hash = h }
        while k < end {
            var s = scalars[k]
            if s &- 0x3001 < 0xFEFF - 0x3001, let base = scalars.baseAddress {
                // A run of CJK text (~11 scalars on average at agora): four scalars a step while all
                // four are kept, with one vector test and one 16-byte store (~7 instructions a
                // scalar, the hash's three among them, against ~11 one at a time); the run's last
                // few take the loop below.
                while k &+ 4 <= end {
                    let four = UnsafeRawPointer(base + k).loadUnaligned(as: SIMD4<UInt32>.self)
                    guard all(four &- 0x3001 .< SIMD4(repeating: 0xFEFF - 0x3001)) else { break }
                    UnsafeMutableRawPointer(out + written).storeBytes(of: four, as: SIMD4<UInt32>.self)
                    h = (h ^ UInt64(base[k])) &* normalizedBodyHashPrime
                    h = (h ^ UInt64(base[k &+ 1])) &* normalizedBodyHashPrime
                    h = (h ^ UInt64(base[k &+ 2])) &* normalizedBodyHashPrime
                    h = (h ^ UInt64(base[k &+ 3])) &* normalizedBodyHashPrime
                    k &+= 4
                    written &+= 4
                }
                if k == end { return (k, written) }
                s = base[k]
            }
            while s &- 0x3001 < 0xFEFF - 0x3001 {
                out[written] = s
                written &+= 1
                h = (h ^ UInt64(s)) &* normalizedBodyHashPrime
                k &+= 1
                if k == end { return (k, written) }
                s = scalars[k]
            }
            if stopAtMarkup && s < 0x80 && mayStartDropped(s) { return (k, written) }
            k &+= 1
            if let f = fold(s) {
                out[written] = f
                written &+= 1
                h = (h ^ UInt64(f)) &* normalizedBodyHashPrime
            }
        }
        return (k, written)
    }

    /// Whether the ASCII scalar `s` may start what the Markdown walk drops (`dropped`: `[`, `!`,
    /// `]`, `<`, and `h`, `H`, `/` of a URL): `dropped` is nil at any other, so a run may fold it
    /// as text. One bit a scalar, in two words.
    @inline(__always)
    package static func mayStartDropped(_ s: UInt32) -> Bool {
        let word: UInt64 = s < 0x40 ? 1 << 0x21 | 1 << 0x2F | 1 << 0x3C
            : 1 << (0x48 - 0x40) | 1 << (0x5B - 0x40) | 1 << (0x5D - 0x40) | 1 << (0x68 - 0x40)
        return (word >> UInt64(s & 0x3F)) & 1 != 0
    }

    /// Puts each normalised scalar of the document body into `sink`.
    @inline(__always)
    package static func forEach<S: Sink>(_ document: Document, into sink: inout S) {
        if document.isHTMLFile {
            forEachVisible(document, into: &sink)
            return
        }
        let shared = document.sharedScalars
        if !shared.offsets.isEmpty {
            forEachMarkdown(document, scalars: shared.cps, offsets: shared.offsets, into: &sink)
            return
        }
        forEachMarkdownDecoding(document, from: document.bodyStart, into: &sink)
    }

    /// The Markdown walk from byte `from` (a scalar boundary of the body), decoding the bytes.
    /// Returns the bytes its link destinations' searches read (`DestinationEndMemo.steps`).
    /// Each walk keeps its memo inside its loop's closure: passed in from outside, it cost the
    /// loops registers (+0.3 M instructions a cold agora run).
    @inline(__always) @discardableResult
    package static func forEachMarkdownDecoding<S: Sink>(_ document: Document, from: Int, into sink: inout S) -> Int {
        let bytes = document.bytes
        return bytes.withUnsafeBufferPointer { buf in
            let end = buf.count
            var i = from
            var destinations = DestinationEndMemo()
            while i < end {
                // Chinese text first: no ASCII byte, so nothing `dropped` would test.
                if let v = keptThreeByteScalar(buf, at: i, end: end) { sink.put(v); i &+= 3; continue }
                if let next = dropped(buf, bytes, at: i, bodyStart: document.bodyStart, destinations: &destinations) { i = next; continue }
                let (s, n) = decode(buf, at: i, end: end)
                i += n
                if let f = fold(s) { sink.put(f) }
            }
            return destinations.steps
        }
    }

    /// The Markdown walk over the scalar decode the script rules share (`Document.scalars` of a
    /// well-formed file), when one of them has made it: the body's scalars are read from it, and
    /// the bytes only where an ASCII scalar may start what is dropped. Were a jump ever to land
    /// inside a scalar (it cannot: each lands after an ASCII byte), the walk goes on decoding.
    @inline(__always)
    package static func forEachMarkdown<S: Sink>(_ document: Document, scalars: [UInt32], offsets: [UInt32], into sink: inout S) {
        let bytes = document.bytes
        var resume: Int?
        bytes.withUnsafeBufferPointer { buf in
            scalars.withUnsafeBufferPointer { cps in
                offsets.withUnsafeBufferPointer { offsets in
                    var slices = ScalarSlices(offsets: offsets, count: cps.count)
                    guard var k = slices.index(ofByte: document.bodyStart) else { resume = document.bodyStart; return }
                    let end = slices.count
                    var destinations = DestinationEndMemo()
                    while k < end {
                        let s = cps[k]
                        guard s < 0x80 else {
                            // Up to the next ASCII scalar that may start what is dropped (or any ASCII scalar).
                            k = sink.putFolding(cps, from: k, to: end, stopAtMarkup: true)
                            continue
                        }
                        if let next = dropped(buf, bytes, at: Int(offsets[k]), bodyStart: document.bodyStart, destinations: &destinations) {
                            guard let j = slices.index(ofByte: next) else { resume = next; return }
                            k = j
                            continue
                        }
                        if let f = fold(s) { sink.put(f) }
                        k &+= 1
                    }
                }
            }
        }
        if let resume { forEachMarkdownDecoding(document, from: resume, into: &sink) }
    }

    /// Where the Markdown walk goes on when what starts at byte `i` is dropped (a link bracket,
    /// a link destination, an HTML tag, what a capture prepends to a URL), or nil when byte `i`
    /// starts text.
    @inline(__always)
    package static func dropped(_ buf: UnsafeBufferPointer<UInt8>, _ bytes: [UInt8], at i: Int, bodyStart: Int,
                                destinations: inout DestinationEndMemo) -> Int? {
        let end = buf.count
        switch buf[i] {
        case UInt8(ascii: "["):
            return i + 1
        case UInt8(ascii: "!") where i + 1 < end && buf[i + 1] == UInt8(ascii: "["):
            return i + 2
        case UInt8(ascii: "]"):
            if i + 1 < end, buf[i + 1] == UInt8(ascii: "("), let close = destinations.destinationEnd(bytes, from: i + 2) { return close + 1 }
            return i + 1
        case UInt8(ascii: "<"):
            if let close = tagEnd(bytes, from: i) { return close + 1 }
        case UInt8(ascii: "h"), UInt8(ascii: "H"), UInt8(ascii: "/"):
            if i == bodyStart || !isURLByte(buf[i - 1]), let next = urlPrefixEnd(bytes, from: i) { return next }
        default:
            break
        }
        return nil
    }

    /// An HTML body compares by its visible text (`Document.html`): markup, attribute values,
    /// comments and scripts are what captures and re-scrapes rewrite. Named character references
    /// are dropped like whitespace (`&nbsp;`) and entities in the Markdown path; numeric ones are
    /// the text they stand for (an article written as `&#20013;&#22269;…`). A text token's scalars
    /// are a slice of the scalar decode the script rules share when one of them has made it
    /// (`ScalarSlices`; decoding the token's bytes again was most of the normaliser's cost), and
    /// are decoded from its bytes otherwise.
    @inline(__always)
    package static func forEachVisible<S: Sink>(_ document: Document, into sink: inout S) {
        let shared = document.sharedScalars
        let bytes = document.bytes
        let tokens = document.html.tokens
        // The tokens read in place, a field at a time: `for token in tokens` copied each 64-byte
        // token to the stack before testing its kind (~20 instructions a token, most of them tags).
        tokens.withUnsafeBufferPointer { tokens in
            bytes.withUnsafeBufferPointer { buf in
                shared.cps.withUnsafeBufferPointer { cps in
                    shared.offsets.withUnsafeBufferPointer { offsets in
                        var slices = offsets.isEmpty ? nil : ScalarSlices(offsets: offsets, count: cps.count)
                        for t in tokens.indices {
                            let kind = tokens[t].kind
                            guard kind == .text || kind == .characterReference else { continue }
                            if kind == .characterReference {
                                if let s = HTMLView.numericReferenceValue(bytes, tokens[t]), let f = fold(s) { sink.put(f) }
                                continue
                            }
                            let range = tokens[t].range
                            if let r = slices?.scalars(of: range) {
                                _ = sink.putFolding(cps, from: r.lowerBound, to: r.upperBound, stopAtMarkup: false)
                                continue
                            }
                            let end = range.upperBound
                            var i = range.lowerBound
                            while i < end {
                                if let v = keptThreeByteScalar(buf, at: i, end: end) { sink.put(v); i &+= 3; continue }
                                let (s, n) = decode(buf, at: i, end: end)
                                i += n
                                if let f = fold(s) { sink.put(f) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The scalar of the well-formed 3-byte sequence at `i` (before `end`) when `fold` keeps it as it
    /// is (U+3001…U+FEFE, surrogates excluded: nearly every scalar of a Chinese body), else nil:
    /// what `decode` and `fold` give it, in about half their instructions (the walks without the
    /// script rules' shared decode, `--select content-near-duplicate`, spent ~50 a scalar).
    @inline(__always)
    package static func keptThreeByteScalar(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> UInt32? {
        let b0 = b[i]
        guard b0 & 0xF0 == 0xE0, i &+ 2 < end else { return nil }
        let b1 = b[i &+ 1], b2 = b[i &+ 2]
        guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80 else { return nil }
        let v = UInt32(b0 & 0x0F) << 12 | UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F)
        guard v &- 0x3001 < 0xFEFF - 0x3001, v & 0xF800 != 0xD800 else { return nil }
        return v
    }

    /// `UTF8Validation.decode` of the bytes before `end` (U+FFFD and length 1 for an ill-formed
    /// sequence), on the buffer: the per-scalar loops above ran with a bounds check per byte.
    @inline(__always)
    package static func decode(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> (scalar: UInt32, length: Int) {
        let b0 = b[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        if b0 >= 0xE0 && b0 <= 0xEF && i &+ 2 < end && b[i &+ 1] & 0xC0 == 0x80 && b[i &+ 2] & 0xC0 == 0x80 {
            let v = (UInt32(b0 & 0x0F) << 12) | (UInt32(b[i &+ 1] & 0x3F) << 6) | UInt32(b[i &+ 2] & 0x3F)
            if v >= 0x800 && !(0xD800...0xDFFF).contains(v) { return (v, 3) }
        }
        if b0 >= 0xC2 && b0 <= 0xDF && i &+ 1 < end && b[i &+ 1] & 0xC0 == 0x80 {
            return ((UInt32(b0 & 0x1F) << 6) | UInt32(b[i &+ 1] & 0x3F), 2)
        }
        if b0 >= 0xF0 && b0 <= 0xF4 && i &+ 3 < end && b[i &+ 1] & 0xC0 == 0x80 && b[i &+ 2] & 0xC0 == 0x80 && b[i &+ 3] & 0xC0 == 0x80 {
            let v = (UInt32(b0 & 0x07) << 18) | (UInt32(b[i &+ 1] & 0x3F) << 12) | (UInt32(b[i &+ 2] & 0x3F) << 6) | UInt32(b[i &+ 3] & 0x3F)
            if v >= 0x10000 && v <= 0x10FFFF { return (v, 4) }
        }
        return (0xFFFD, 1)
    }

    package static func scalars(_ document: Document) -> [UInt32] { view(document).scalars }

    /// The normalised scalars and `normalizedBodyHash` of them, hashed as they are produced.
    /// Written into a fixed scratch buffer and moved to the result a chunk at a time: `append` tested
    /// capacity and uniqueness per scalar, and a scratch buffer sized for the whole file (one scalar
    /// per byte) held four times a large file's size next to the result (review finding).
    /// The scratch buffer is one `view` kept from the last file (`ScratchStorage`) and the result is
    /// written into storage a finished document gave back (`DecodeStorage`; `DocumentViews` hands the
    /// view's scalars back at its end): the 16 KB scratch is over what `withUnsafeTemporaryAllocation` puts
    /// on the stack, so each file allocated and freed it and the result (~1,000 instructions a file).
    package static func view(_ document: borrowing Document) -> NormalizedBodyView {
        // A body of up to `inPlaceBodyBytes` (nearly every article) is written straight into the
        // result's storage, sized for one scalar a byte (no scalar takes less): no scratch buffer
        // and no copy of it into the result (~1 instruction a scalar, and the scratch's pool).
        let bodyBytes = document.bytes.count &- document.bodyStart
        if bodyBytes <= inPlaceBodyBytes {
            var scalars = DecodeStorage.take()
            var hash = normalizedBodyHashSeed, overflowed = false
            let capacity = Swift.max(1, bodyBytes)
            scalars.reserveCapacity(capacity)
            appendInPlace(to: &scalars, capacity: capacity) { buffer in
                let chunks = Chunks()
                var sink = ViewSink(scratch: buffer, chunks: chunks)
                forEach(document, into: &sink)
                // A full buffer moved to `chunks`: the body did not fit.
                guard chunks.scalars.isEmpty else {
                    overflowed = true
                    return 0
                }
                hash = sink.hash
                return sink.count
            }
            if !overflowed {
                return NormalizedBodyView(scalars: scalars, hash: mix64(hash ^ UInt64(scalars.count)))
            }
            // Unreachable (each scalar takes a byte of the body at least): a debug build stops here;
            // a release build, were the bound ever wrong, normalises the body again the chunked way.
            assertionFailure("normalised body longer than its \(bodyBytes) bytes: the in-place bound is wrong")
            DecodeStorage.spares.keep(scalars)
        }
        let chunks = Chunks()
        chunks.scalars = DecodeStorage.take()
        var scratchArray = ScratchStorage.take(count: scratchScalars)
        let view = scratchArray.withUnsafeMutableBufferPointer { scratch -> NormalizedBodyView in
            var sink = ViewSink(scratch: scratch, chunks: chunks)
            forEach(document, into: &sink)
            chunks.scalars.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<sink.count]))
            return NormalizedBodyView(scalars: chunks.scalars, hash: mix64(sink.hash ^ UInt64(chunks.scalars.count)))
        }
        ScratchStorage.keep(scratchArray)
        return view
    }

    /// `view` as it was written before its buffers were kept (a scratch buffer and a result of its
    /// own): the tests compare the two. Not one body with the buffers as arguments: that cost
    /// `view` +4.5 M instructions a cold agora run (measured), for eight shared lines.
    package static func unpooledView(_ document: Document) -> NormalizedBodyView {
        let chunks = Chunks()
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: scratchScalars) { scratch in
            var sink = ViewSink(scratch: scratch, chunks: chunks)
            forEach(document, into: &sink)
            chunks.scalars.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<sink.count]))
            return NormalizedBodyView(scalars: chunks.scalars, hash: mix64(sink.hash ^ UInt64(chunks.scalars.count)))
        }
    }

    /// The scalars `view` has moved out of its scratch buffer. A class: the sink holds a reference,
    /// so the (rare) move does not take the sink's address and its count and hash stay in registers.
    private final class Chunks {
        var scalars: [UInt32] = []
    }

    private struct ViewSink: Sink {
        let scratch: UnsafeMutableBufferPointer<UInt32>
        let chunks: Chunks
        var count = 0
        var hash = normalizedBodyHashSeed

        init(scratch: UnsafeMutableBufferPointer<UInt32>, chunks: Chunks) {
            self.scratch = scratch
            self.chunks = chunks
        }

        @inline(__always)
        mutating func put(_ x: UInt32) {
            if count == scratch.count {
                chunks.scalars.append(contentsOf: scratch)
                count = 0
            }
            scratch[count] = x
            count &+= 1
            hash = (hash ^ UInt64(x)) &* normalizedBodyHashPrime
        }

        /// `foldRun` into the scratch buffer, a piece that fits at a time (no room test per scalar).
        @inline(__always)
        mutating func putFolding(_ scalars: UnsafeBufferPointer<UInt32>, from: Int, to end: Int, stopAtMarkup: Bool) -> Int {
            guard let base = scratch.baseAddress else { return BodyNormalizer.putEachFolding(scalars, from: from, to: end, stopAtMarkup: stopAtMarkup, into: &self) }
            var k = from
            while k < end {
                if count == scratch.count {
                    chunks.scalars.append(contentsOf: scratch)
                    count = 0
                }
                let pieceEnd = Swift.min(end, k &+ (scratch.count &- count))
                let (next, written) = foldRun(scalars, from: k, to: pieceEnd, stopAtMarkup: stopAtMarkup, into: base + count, hash: &hash)
                count &+= written
                if next < pieceEnd { return next }
                k = next
            }
            return end
        }
    }

    /// Scalars the scratch buffer of `view` holds (16 KB).
    private static let scratchScalars = 4096

    /// Bodies of up to this many bytes are normalised into their result in place (`InPlaceWrite`),
    /// its storage sized for one scalar a byte: at most 128 KB (agora's largest file is under
    /// 32 KB), no more than the scalar decode of such a file holds. A larger body is written a
    /// chunk at a time, into storage of about its size.
    package static let inPlaceBodyBytes = 1 << 15

    /// Appends to `scalars` (reserved for `capacity` more) what `fill` writes into its storage and
    /// counts: `InPlaceWrite` made of the closure for as long as the append lasts. The closure
    /// borrows the document; the sequence holding a pointer to it instead copied the document
    /// (`pointee`) for the walk, ~150 instructions a file.
    @inline(__always)
    private static func appendInPlace(to scalars: inout [UInt32], capacity: Int, _ fill: (UnsafeMutableBufferPointer<UInt32>) -> Int) {
        withoutActuallyEscaping(fill) { fill in
            scalars.append(contentsOf: InPlaceWrite(fill: fill, capacity: capacity))
        }
    }

    /// Scalars written straight into the array storage they are copied into (`_copyContents`,
    /// called by `Array.append(contentsOf:)` with the storage reserved for `capacity`; `ScalarDecode`'s
    /// `ScalarWrite` does the same): `fill` writes them into its first `capacity` entries and returns
    /// how many. It has no elements otherwise (an underestimated count of 0, an empty iterator).
    private struct InPlaceWrite: Sequence {
        let fill: (UnsafeMutableBufferPointer<UInt32>) -> Int
        let capacity: Int

        var underestimatedCount: Int { 0 }
        /// Read element by element, the sequence would be empty and the body silently lost.
        func makeIterator() -> EmptyCollection<UInt32>.Iterator { preconditionFailure("InPlaceWrite is read through _copyContents only") }

        func _copyContents(initializing buffer: UnsafeMutableBufferPointer<UInt32>) -> (EmptyCollection<UInt32>.Iterator, Int) {
            precondition(capacity >= 1 && buffer.count >= capacity, "array storage smaller than reserved")
            let written = fill(UnsafeMutableBufferPointer(rebasing: buffer[..<capacity]))
            precondition(written <= capacity, "more scalars written than the storage holds")
            return (EmptyCollection<UInt32>.Iterator(), written)
        }
    }

    // MARK: - What an archive capture rewrites

    /// The `)` closing a Markdown inline destination starting at `from` (balanced parentheses,
    /// on one line, at most `destinationBytes`), or nil when this `](` is not a link. The walks ask
    /// it through `DestinationEndMemo`, which answers a line of unclosed `](` in linear time.
    package static func destinationEnd(_ b: [UInt8], from: Int) -> Int? {
        destinationSearch(b, from: from).close
    }

    /// `destinationEnd`, and where its search stopped: after the last byte it read (the `)` or
    /// the line feed), or at its limit.
    @inline(__always)
    static func destinationSearch(_ b: [UInt8], from: Int) -> (close: Int?, stop: Int) {
        var depth = 0
        var j = from
        let limit = min(b.count, from + destinationBytes)
        while j < limit {
            switch b[j] {
            case 0x0A: return (nil, j + 1)
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                if depth == 0 { return (j, j + 1) }
                depth -= 1
            default: break
            }
            j += 1
        }
        return (nil, j)
    }

    /// How far after its `](` a link destination may close: 2 KB.
    package static let destinationBytes = 2048

    /// The `>` closing an HTML tag, comment or autolink opening at `from` (`<` then a letter,
    /// `/` or `!`; at most 4 KB, across lines), or nil when the `<` is text.
    package static func tagEnd(_ b: [UInt8], from: Int) -> Int? {
        guard from + 1 < b.count else { return nil }
        let next = b[from + 1]
        guard isASCIILetter(next) || next == UInt8(ascii: "/") || next == UInt8(ascii: "!") else { return nil }
        let limit = min(b.count, from + 4096)
        var j = from + 2
        while j < limit {
            if b[j] == UInt8(ascii: ">") { return j }
            if b[j] == UInt8(ascii: "<") { return nil }
            j += 1
        }
        return nil
    }

    /// The end of what a capture prepends or rewrites at the start of a URL: its scheme and
    /// slashes (`http://` and `https://` and a collapsed `http:/` compare equal), a Wayback
    /// prefix (`web.archive.org/web/<timestamp>[flags]/`, or relative `/web/<timestamp>/`), an
    /// archive.today prefix (`archive.ph/o/<id>/`, `archive.today/<timestamp>/`) and then the
    /// original URL's own scheme. Nil when there is nothing to drop.
    package static func urlPrefixEnd(_ b: [UInt8], from i: Int) -> Int? {
        var j = i
        var scheme = false
        if matches(b, j, "https:") { j += 6; scheme = true } else if matches(b, j, "http:") { j += 5; scheme = true }
        let slashStart = j
        while j < b.count, b[j] == UInt8(ascii: "/"), j - slashStart < 3 { j += 1 }
        let slashes = j - slashStart
        if matches(b, j, "web.archive.org/web/"), scheme || slashes == 2 {
            j += 20
            guard let after = timestampEnd(b, j) else { return scheme ? slashStart + slashes : nil }
            return originalSchemeEnd(b, after)
        }
        if !scheme, slashes == 1, matches(b, j, "web/"), let after = timestampEnd(b, j + 4) {
            // Relative Wayback link: only when the original URL follows.
            guard matches(b, after, "http") else { return nil }
            return originalSchemeEnd(b, after)
        }
        if scheme || slashes == 2, let host = archiveTodayHostEnd(b, j) {
            var k = host
            if matches(b, k, "o/") { k += 2 }
            let id = k
            while k < b.count, isASCIILetter(b[k]) || isDigit(b[k]) || b[k] == UInt8(ascii: ".") || b[k] == UInt8(ascii: "-") { k += 1 }
            if k > id, k < b.count, b[k] == UInt8(ascii: "/"), matches(b, k + 1, "http") {
                return originalSchemeEnd(b, k + 1)
            }
        }
        return scheme ? j : nil
    }

    /// After `<digits>[xx_]/` (a Wayback timestamp of 4 to 14 digits, with an optional
    /// `im_`/`id_`/`js_`-style flag or `*`), or nil.
    package static func timestampEnd(_ b: [UInt8], _ from: Int) -> Int? {
        var j = from
        while j < b.count, isDigit(b[j]) { j += 1 }
        guard (4...14).contains(j - from) else { return nil }
        if j + 2 < b.count, isLowercase(b[j]), isLowercase(b[j + 1]), b[j + 2] == UInt8(ascii: "_") { j += 3 }
        if j < b.count, b[j] == UInt8(ascii: "*") { j += 1 }
        guard j < b.count, b[j] == UInt8(ascii: "/") else { return nil }
        return j + 1
    }

    package static func originalSchemeEnd(_ b: [UInt8], _ from: Int) -> Int {
        var j = from
        if matches(b, j, "https:") { j += 6 } else if matches(b, j, "http:") { j += 5 } else { return j }
        let start = j
        while j < b.count, b[j] == UInt8(ascii: "/"), j - start < 3 { j += 1 }
        return j
    }

    package static let archiveTodayHosts: [[UInt8]] = ["archive.ph/", "archive.today/", "archive.is/", "archive.li/",
                                               "archive.md/", "archive.vn/", "archive.fo/"].map { Array($0.utf8) }

    package static func archiveTodayHostEnd(_ b: [UInt8], _ from: Int) -> Int? {
        for host in archiveTodayHosts where matches(b, from, host) { return from + host.count }
        return nil
    }

    /// Case-insensitive ASCII match of `word` at `at`.
    @inline(__always)
    package static func matches(_ b: [UInt8], _ at: Int, _ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard at + n <= b.count else { return false }
        return word.withUTF8Buffer { w in
            for k in 0..<n where b[at + k] | 0x20 != w[k] | 0x20 { return false }
            return true
        }
    }

    package static func matches(_ b: [UInt8], _ at: Int, _ word: [UInt8]) -> Bool {
        guard at + word.count <= b.count else { return false }
        for k in 0..<word.count where b[at + k] | 0x20 != word[k] | 0x20 { return false }
        return true
    }

    @inline(__always) package static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) package static func isLowercase(_ c: UInt8) -> Bool { c >= 0x61 && c <= 0x7A }
    @inline(__always) package static func isASCIILetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    /// Bytes that continue a URL or a word: a scheme or `/web/` after one of them is not a URL start.
    @inline(__always) package static func isURLByte(_ c: UInt8) -> Bool {
        isASCIILetter(c) || isDigit(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "/") || c == UInt8(ascii: "-")
            || c == UInt8(ascii: "_") || c == UInt8(ascii: "%") || c == UInt8(ascii: ":") || c == UInt8(ascii: "~")
    }
}

/// `BodyNormalizer.destinationEnd` for the `](` of one walk, asked in increasing order: the same
/// answers, in time linear in the body. Each `](` searched up to 2 KB on for its `)`, so a line of
/// unclosed ones took 2 KB each (a 4 MB line of `[](`: ~6 s, and the per-file budget is not asked
/// during a rule). body-empty's searches remember their last answer (`ForwardSearchMemo`), but that
/// answer is the first of a byte; a destination's `)` depends on where the search starts (its
/// parentheses nest), so here what carries over is the scan itself: after a search finds no `)`,
/// the memo keeps where it stopped and the `(` still unclosed there. A later `](` whose `(` is one
/// of them is answered by scanning on from there; one whose `(` closed before is answered by the
/// plain search, which stops at that `)` (and the walk goes on after it).
package struct DestinationEndMemo {
    /// The `(` unclosed where the last scan stopped, ascending, from `bottom` on (those before it
    /// were asked about already).
    private var opens: [Int] = []
    private var bottom = 0
    /// Where the last scan stopped (0 before one): `opens` accounts for the bytes before it.
    private var scanned = 0
    /// The last scan stopped at a line feed (at `scanned`): its unclosed `(` close nowhere.
    private var stoppedAtLineFeed = false
    /// Bytes read by the searches: the walk's step count, which the tests bound by the body's size.
    package private(set) var steps = 0

    package init() {}

    /// `BodyNormalizer.destinationEnd(b, from: from)`, where `b[from - 1]` is the `(` of a `](`.
    /// Asked out of order, the answers are the same (the plain search), only not faster. A call
    /// (`](` is rare): inlined, its search loop took registers from the walk's loop (+1.9 M
    /// instructions at agora with `--select content-duplicate`, the hash spilled).
    @inline(never)
    package mutating func destinationEnd(_ b: [UInt8], from: Int) -> Int? {
        let open = from &- 1
        if open < scanned { return answerWithinScan(b, open: open) }
        // A fresh scan from the `(`: it answers as the plain search does (`open` closes at the `)`
        // where every `(` after it has closed), and when unclosed it keeps the unclosed `(` for the
        // `](` after this one (a plain search first read the same bytes twice).
        opens.removeAll(keepingCapacity: true)
        bottom = 0
        opens.append(open)
        scanned = from
        stoppedAtLineFeed = false
        return scanOn(b, closing: open)
    }

    /// The answer for the `(` at `open`, before where the last scan stopped.
    private mutating func answerWithinScan(_ b: [UInt8], open: Int) -> Int? {
        while bottom < opens.count && opens[bottom] < open { bottom += 1 }
        if bottom < opens.count && opens[bottom] == open {
            // Still unclosed where the scan stopped.
            if stoppedAtLineFeed { return nil }
            if bottom >= 4096 {
                opens.removeFirst(bottom)
                bottom = 0
            }
            return scanOn(b, closing: open)
        }
        // Closed before it (or asked out of order): the plain search stops at its `)`.
        let (close, stop) = BodyNormalizer.destinationSearch(b, from: open + 1)
        steps &+= stop &- (open + 1)
        return close
    }

    /// Scans on from `scanned`, keeping `opens`, until the `(` at `open` (the first of them) closes,
    /// a line feed or `open`'s limit.
    private mutating func scanOn(_ b: [UInt8], closing open: Int) -> Int? {
        let limit = min(b.count, open + 1 + BodyNormalizer.destinationBytes)
        var j = scanned
        var close: Int?
        scan: while j < limit {
            switch b[j] {
            case 0x0A:
                stoppedAtLineFeed = true
                break scan
            case UInt8(ascii: "("):
                opens.append(j)
            case UInt8(ascii: ")") where opens.count > bottom: // always, while `open` is unclosed
                if opens.removeLast() == open {
                    close = j
                    j += 1
                    break scan
                }
            default:
                break
            }
            j += 1
        }
        steps &+= j - scanned
        scanned = j
        if close != nil {
            opens.removeAll(keepingCapacity: true)
            bottom = 0
        }
        return close
    }
}

extension BodyNormalizer.Sink {
    @inline(__always)
    package mutating func putFolding(_ scalars: UnsafeBufferPointer<UInt32>, from: Int, to end: Int, stopAtMarkup: Bool) -> Int {
        BodyNormalizer.putEachFolding(scalars, from: from, to: end, stopAtMarkup: stopAtMarkup, into: &self)
    }
}

extension Document {
    /// The scalar decode the script rules share (`scalars`) and its narrow byte offsets, when one
    /// of them has made it for a well-formed file; empty arrays otherwise (never computed here: a
    /// run without the script rules decodes only what it walks).
    package var sharedScalars: (cps: [UInt32], offsets: [UInt32]) {
        // The decode's own validity, not `isValidUTF8`: asked before the script rules decode, that
        // would walk the file once more just to validate it.
        views.computedWellFormedScalars ?? ([], [])
    }

    /// `BodyNormalizer.scalars` of this document, computed once for all rules that compare bodies.
    package var normalizedBodyScalars: [UInt32] { normalizedBody.scalars }

    /// The normalised body with its hash, computed once for all rules that compare bodies.
    package var normalizedBody: NormalizedBodyView { views.normalizedBody { BodyNormalizer.view(self) } }
}
