import Foundation
import NewsLintCore

/// The texts of a stored cross-file result (paths, rule ids, messages, fix descriptions) cut into
/// pieces at every ", ", each piece spelled out once and then referred to by its number.
///
/// Why: a corpus of copies has a cross-file finding on every file, whose message lists the paths
/// of its group ("body is identical to a, b, c … and 4 more"). Each path came back as its own
/// finding's path and in the messages of its group, so the stored result was mostly paths spelled
/// again (54 MB at agora ×10), and a warm run checksums every byte of it before replaying any.
/// Pieces are joined with ", " again on reading, so every text comes back byte for byte whatever
/// it says; nothing here knows what a message means.
///
/// A text: the number of pieces (≥ 1), its length in bytes when it has more than one piece (the
/// reader copies each piece straight into place), then each piece: 0, its length and bytes (a
/// piece not in the table yet, added to it when it `joins`), or its number in the table + 1. The writer, the
/// verifier (`Counter`) and the reader add the same pieces in the same order, so they agree on
/// every number; the table stops growing at `budget` bytes, so memory stays bounded at any size.
package enum CrossFileTexts {
    /// The table's size in bytes at most (8 MB: the distinct paths of agora ×10 fit in it).
    package static let tableBudget = 8 << 20
    /// Longer pieces are spelled out every time (never added to the table).
    package static let pieceLimit = 4096

    /// Whether a piece of `length` bytes spelled out joins a table of `used` bytes: the one rule
    /// the writer and both readers share.
    @inline(__always)
    static func joins(_ length: Int, used: Int, budget: Int) -> Bool {
        length <= pieceLimit && length <= budget - used
    }

    /// Where each piece of `text` ends; the next starts two bytes later (after ", ").
    static func pieceEnds(_ text: UnsafeBufferPointer<UInt8>, into ends: inout [Int]) {
        ends.removeAll(keepingCapacity: true)
        guard let base = text.baseAddress, text.count > 1 else {
            ends.append(text.count)
            return
        }
        var from = 0
        // The last byte cannot start a separator.
        let last = text.count - 1
        while from < last, let hit = memchr(base + from, 0x2C, last - from) {
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if base[at + 1] == 0x20 {
                ends.append(at)
                from = at + 2
            } else {
                from = at + 1
            }
        }
        ends.append(text.count)
    }

    /// Writes texts, numbering the pieces it has spelled out.
    package struct Writer {
        private let budget: Int
        private var used = 0
        /// The pieces in the table, back to back; entry `i` ends at `ends[i]`.
        private var arena: [UInt8] = []
        private var ends: [Int] = []
        /// Open addressing over the pieces' hashes: index + 1 of an entry, 0 for an empty slot.
        private var slots: [Int32] = Array(repeating: 0, count: 1 << 10)
        private var hashes: [UInt64] = []
        /// Scratch: where the pieces of the text being written end.
        private var cuts: [Int] = []

        package init(budget: Int = CrossFileTexts.tableBudget) { self.budget = budget }

        package mutating func write(_ text: String, to out: inout ByteWriter) {
            var text = text
            text.withUTF8 { write($0, to: &out) }
        }

        package mutating func write(_ text: UnsafeBufferPointer<UInt8>, to out: inout ByteWriter) {
            CrossFileTexts.pieceEnds(text, into: &cuts)
            out.varint(UInt64(cuts.count))
            if cuts.count > 1 { out.varint(UInt64(text.count)) }
            var start = 0
            for k in cuts.indices {
                let end = cuts[k]
                writePiece(UnsafeBufferPointer(rebasing: text[start..<end]), to: &out)
                start = end + 2
            }
        }

        private mutating func writePiece(_ piece: UnsafeBufferPointer<UInt8>, to out: inout ByteWriter) {
            // All the bytes hashed (`RecentStrings.key` reads only the ends, which the pieces of one
            // group share); not keyed: it only finds entries.
            let hash = FastHash.hash(UnsafeRawBufferPointer(piece))
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 {
                let i = Int(slots[slot]) - 1
                if hashes[i] == hash, same(i, piece) {
                    out.varint(UInt64(i + 1))
                    return
                }
                slot = (slot + 1) & mask
            }
            out.varint(0)
            out.varint(UInt64(piece.count))
            out.bytes.append(contentsOf: piece)
            guard CrossFileTexts.joins(piece.count, used: used, budget: budget) else { return }
            used += piece.count
            arena.append(contentsOf: piece)
            ends.append(arena.count)
            hashes.append(hash)
            slots[slot] = Int32(ends.count)
            if ends.count * 2 > slots.count { grow() }
        }

        private func same(_ i: Int, _ piece: UnsafeBufferPointer<UInt8>) -> Bool {
            let start = i == 0 ? 0 : ends[i - 1]
            guard ends[i] - start == piece.count else { return false }
            guard let p = piece.baseAddress, piece.count > 0 else { return true }
            return arena.withUnsafeBufferPointer { all in all.baseAddress.map { memcmp($0 + start, p, piece.count) == 0 } ?? false }
        }

        private mutating func grow() {
            slots = Array(repeating: 0, count: slots.count * 2)
            let mask = slots.count - 1
            for i in hashes.indices {
                var slot = Int(truncatingIfNeeded: hashes[i]) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(i + 1)
            }
        }
    }

    /// Checks texts' framing as `Reader` reads them, keeping only the table's count and size.
    package struct Counter {
        private let budget: Int
        private var used = 0
        private var entries = 0
        /// Each entry's length (a text's stated length is checked against its pieces').
        private var lengths: [Int32] = []

        package init(budget: Int = CrossFileTexts.tableBudget) { self.budget = budget }

        /// Steps over one text; false when it is malformed or refers past the table.
        package mutating func skip(_ r: inout ByteReader) -> Bool {
            guard let count = r.pieceNumber(), count >= 1 else { return false }
            if count == 1 { return skipPiece(&r) != nil }
            guard let total = r.int() else { return false }
            var length = 2 * (count - 1)
            for _ in 0..<count {
                guard let n = skipPiece(&r) else { return false }
                length += n
            }
            return length == total
        }

        /// Steps over one piece; its length, nil when malformed.
        @inline(__always)
        private mutating func skipPiece(_ r: inout ByteReader) -> Int? {
            guard let ref = r.pieceNumber() else { return nil }
            if ref > 0 {
                guard ref <= entries else { return nil }
                return Int(lengths[ref - 1])
            }
            guard let n = r.int(), r.skip(n) != nil else { return nil }
            if CrossFileTexts.joins(n, used: used, budget: budget) {
                used += n
                entries += 1
                lengths.append(Int32(n))
            }
            return n
        }
    }

    /// Reads texts back as `String`s; a piece read whole again shares one `String`. A class over
    /// buffers of its own: a text's pieces are copied into place through pointers taken once per
    /// text (through arrays, each piece was a closure call, a uniqueness check and a bounds check).
    package final class Reader {
        private let budget: Int
        private var used = 0
        /// The pieces in the table, back to back: entry `i` is `arena[ends[i]..<ends[i + 1]]`.
        private var arena: TextBuffer
        private var ends: [Int] = [0]
        /// The longest entry's length: what bounds a text's stated length before anything is reserved.
        private var longest = 0
        /// The `String` of each entry once a text was that piece alone (a path, a rule id).
        private var strings: [String?] = []
        /// Scratch for a text of several pieces.
        private var joined: TextBuffer
        /// Strings known before reading (rule ids), shared rather than made again.
        private let known: KnownStrings
        /// Whether the bytes read are known to be valid UTF-8 (written from `String`s and verified
        /// since; see `StoredCrossFileResult.batches`). Once false it stays false: a piece kept
        /// from untrusted bytes is never made a `String` unvalidated later.
        private var trusted = true

        package init(budget: Int = CrossFileTexts.tableBudget, knownStrings: KnownStrings = KnownStrings()) {
            self.budget = budget
            known = knownStrings
            arena = TextBuffer(capacity: 1 << 16)
            joined = TextBuffer(capacity: 1 << 12)
        }

        /// Says whether the bytes about to be read may be trusted to be valid UTF-8.
        package func trust(_ valid: Bool) { trusted = trusted && valid }

        /// One text; nil when malformed, when it refers past the table, or (untrusted) when it is not UTF-8.
        package func text(_ r: inout ByteReader) -> String? {
            guard let count = r.pieceNumber(), count >= 1 else { return nil }
            if count == 1 { return piece(&r) }
            joined.removeAll()
            guard join(&r, count: count, into: &joined) else { return nil }
            return make(joined.bytes)
        }

        /// One text's bytes appended to `out` (the same framing, table and checks as `text`,
        /// without a `String`: the lazy concise route writes them as they are); their range in
        /// `out`, nil when `text` would give nil.
        package func append(_ r: inout ByteReader, to out: inout TextBuffer) -> Range<Int>? {
            guard let count = r.pieceNumber(), count >= 1 else { return nil }
            let start = out.count
            if count > 1 {
                guard join(&r, count: count, into: &out) else { return nil }
            } else {
                guard let ref = r.pieceNumber() else { return nil }
                if ref > 0 {
                    guard ref < ends.count else { return nil }
                    let from = ends[ref - 1]
                    out.append(arena.base + from, count: ends[ref] - from)
                } else {
                    guard let n = r.int(), let range = r.skip(n) else { return nil }
                    r.bytes.withUnsafeBufferPointer { chunk in
                        let piece = UnsafeBufferPointer(rebasing: chunk[range])
                        if let p = piece.baseAddress { out.append(p, count: n) }
                        keep(piece, string: nil)
                    }
                }
            }
            // Untrusted bytes are validated as `make` validates them (a piece kept from a trusted
            // chunk was valid then, as its `String` would have been).
            guard trusted || String(exactUTF8: UnsafeBufferPointer(rebasing: out.bytes[start...])) != nil else { return nil }
            return start..<out.count
        }

        /// A text of `count` (> 1) pieces joined onto the end of `out`; false when malformed.
        private func join(_ r: inout ByteReader, count: Int, into destination: inout TextBuffer) -> Bool {
            // Each piece copied straight into place; a piece that would overrun the stated length
            // fails the text. The table grows by at most `total` bytes here, so its storage stays put.
            guard let total = r.int() else { return false }
            // A stated length past what `count` pieces could hold is refused before anything is
            // reserved (the length is read from the file). The table grows only by pieces spelled
            // in the chunk, so by at most the bytes left in it.
            let remaining = r.end - r.position
            guard count <= remaining, total <= 2 * (count - 1) + count * longest + remaining else { return false }
            destination.reserve(total)
            arena.reserve(min(total, remaining))
            let out = destination.base + destination.count, table = arena.base
            let complete = r.bytes.withUnsafeBufferPointer { chunk -> Bool in
                guard let source = chunk.baseAddress else { return false }
                var at = 0
                for k in 0..<count {
                    if k > 0 {
                        guard at + 2 <= total else { return false }
                        out[at] = 0x2C
                        out[at + 1] = 0x20
                        at += 2
                    }
                    guard let ref = r.pieceNumber() else { return false }
                    if ref > 0 {
                        guard ref < ends.count else { return false }
                        let start = ends[ref - 1], n = ends[ref] - start
                        guard n <= total - at else { return false }
                        (out + at).update(from: table + start, count: n)
                        at += n
                    } else {
                        guard let n = r.int(), let spelled = r.skip(n), n <= total - at else { return false }
                        (out + at).update(from: source + spelled.lowerBound, count: n)
                        keep(UnsafeBufferPointer(start: source + spelled.lowerBound, count: n), string: nil)
                        at += n
                    }
                }
                return at == total
            }
            guard complete else { return false }
            destination.extend(by: total)
            return true
        }

        /// A text of one piece: the entry's `String` when it has one.
        private func piece(_ r: inout ByteReader) -> String? {
            guard let ref = r.pieceNumber() else { return nil }
            if ref > 0 {
                guard ref < ends.count else { return nil }
                if let s = strings[ref - 1] { return s }
                let start = ends[ref - 1]
                guard let s = make(UnsafeBufferPointer(start: arena.base + start, count: ends[ref] - start)) else { return nil }
                strings[ref - 1] = s
                return s
            }
            guard let n = r.int(), let range = r.skip(n) else { return nil }
            return r.bytes.withUnsafeBufferPointer { chunk -> String? in
                let piece = UnsafeBufferPointer(rebasing: chunk[range])
                guard let s = make(piece) else { return nil }
                keep(piece, string: s)
                return s
            }
        }

        /// A piece spelled in the chunk kept in the table for later references when it fits the
        /// budget (`string`: its `String`, when one was made). Within `join` the table's storage
        /// was reserved first, so it does not move.
        private func keep(_ piece: UnsafeBufferPointer<UInt8>, string: String?) {
            guard CrossFileTexts.joins(piece.count, used: used, budget: budget) else { return }
            used += piece.count
            longest = max(longest, piece.count)
            if let p = piece.baseAddress { arena.append(p, count: piece.count) }
            ends.append(arena.count)
            strings.append(string)
        }

        private func make(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
            if bytes.count <= known.longest, let s = known.string(bytes) { return s }
            return trusted ? String(knownValidUTF8: bytes) : String(exactUTF8: bytes)
        }
    }
}

extension ByteReader {
    /// A varint as `int()` reads it, with three-byte values read inline too: piece numbers of a
    /// large table take three bytes (past 16,383), and the general reader takes them a byte at a time.
    @inline(__always)
    package mutating func pieceNumber() -> Int? {
        if end - position >= 3, bytes[position] >= 0x80, bytes[position + 1] >= 0x80, bytes[position + 2] < 0x80 {
            let v = Int(bytes[position] & 0x7F) | Int(bytes[position + 1] & 0x7F) << 7 | Int(bytes[position + 2]) << 14
            position += 3
            return v
        }
        return int()
    }
}
