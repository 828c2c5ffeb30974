import NewsLintCore

/// `script-mixed`: Simplified leftovers in Traditional text (and the reverse), reported per line.
///
/// The dominant script comes from characters that exist in only one script. A leftover is an
/// isolated minority-script character (or a word-level leftover of a neutral character, `干部`)
/// inside a dominant-script clause; a clause or quotation written wholly in the other script is
/// a quotation, reported at `info` only when `reportQuotations` is on.
///
/// Word-level leftovers differ from their Traditional word only on genuine simplification merges
/// (干/幹, 后/後; not variant pairs both scripts' Traditional accepts, 回/迴, 伙/夥), and a word of a
/// Traditional lexicon overlapping the match wins over it (一國兩制|成功 is no 製成). Clauses holding
/// Japanese kana are Japanese, not leftovers. The unsafe fix is only offered for one-to-one forms and
/// never changes a character of a personal name.
public struct ScriptMixedRule: Rule, RuleWithOptions {
    public static let id = "script-mixed"
    /// Reads prose: on HTML files its findings and fixes stay in visible text.
    public static let readsProse = true
    package let options: Options
    /// False: every unit sent to `checkLine` counts its clauses' characters (tests compare the two).
    package var skipsCleanClauses = true
    /// False: a unit without a strict minority character goes to `checkLine` whenever a phrase head
    /// passes the pair filter, not only when a word-level entry matches there (tests compare the two).
    package var skipsUnitsWithoutPhrase = true
    /// Read when a document is checked, not when the rule is built: the tables are still being
    /// built on the other core then (`RuleRegistry.prepareTablesInBackground`), and waiting for them
    /// in `init` kept the rest of the rule set and the first files from overlapping with them.
    package var tables: ScriptTables { ScriptTables.shared }

    public struct Options: Decodable, Sendable {
        package var minEvidence: Int
        package var maxLeftoverShare: Double
        package var reportQuotations: Bool
    }

    public init(options: RuleOptions) throws {
        self.options = try Self.decodeOptions(options)
        guard self.options.maxLeftoverShare > 0 && self.options.maxLeftoverShare <= 1 else {
            throw RuleOptionError(option: "maxLeftoverShare", message: "must be greater than 0 and at most 1")
        }
    }

    private struct Item {
        var range: Range<Int>      // scalar range
        var text: String
        var forms: [String]        // dominant-script forms
        var fixable = true         // false where the fix could rename a person
    }

    /// Per unit: its scalar range, its mask (an index into the document's masks; for none,
    /// `unmaskedWithFlags` or `unmaskedWithoutFlags`), its counts of each script's characters, of
    /// those the other script's standard does not also write (`isAllowed`: only those can be
    /// leftovers), and of phrase heads (a word-level entry may start at one).
    ///
    /// Plain values only: a unit keeps its scalar range, not its `ScalarRun` (the runs share the
    /// decode's arrays, and an element holding two references to them was retained and released at
    /// every copy), and its mask's index, not the `NonProse` (an element holding an array made the
    /// units an array to destroy element by element when it was freed, ~1,400 instructions a file,
    /// though few units have a mask).
    private typealias UnitCounts = (scalars: Range<Int>, mask: Int, simplified: Int, traditional: Int, strictSimplified: Int,
                                    strictTraditional: Int, phraseHeads: Int)

    /// `UnitCounts.mask` of a unit without a mask whose count wrote its table bytes (`check`'s `flags`).
    private static let unmaskedWithFlags = -1
    /// `UnitCounts.mask` of a unit without a mask whose count did not write them.
    private static let unmaskedWithoutFlags = -2

    public func check(_ document: Document, into sink: inout DiagnosticSink) {
        // Lines, or in an HTML document its text blocks (a scraped page may hold an article on one line).
        let units = document.proseUnits()
        // At most one entry a unit, in storage that lives for this call only: on the stack when it
        // fits (an array cost a `malloc` and a `free` a file). The entries are plain values, so the
        // storage needs no deinitializing.
        withUnsafeTemporaryAllocation(of: UnitCounts.self, capacity: units.count) { runs in
            // A byte a scalar (a scalar has at least one byte) for the count's table bytes. Past
            // 1 KB it is a `malloc` and a `free` (~2 M on agora, well under the scan it saves).
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: document.bytes.count) { flags in
                check(document, units: units, runs: runs, flags: flags, into: &sink)
            }
        }
    }

    /// `check` with the document's prose units, storage for one `UnitCounts` a unit (uninitialized),
    /// and for one byte a scalar of the decode: an unmasked unit's `countTable` bytes, written by
    /// its count (at its scalars' indices) while the units before it do not lean Simplified
    /// (`unmaskedWithFlags`) and read by `mayHoldPhrase(_:flags:tables:heads:)`.
    private func check(_ document: Document, units: [(line: Int, range: Range<Int>)], runs: UnsafeMutableBufferPointer<UnitCounts>,
                       flags: UnsafeMutableBufferPointer<UInt8>, into sink: inout DiagnosticSink) {
        let html = document.isHTMLFile
        let tables = self.tables
        // The entries of `runs` initialized so far (the first `runCount`).
        var runCount = 0
        var masks: [NonProse] = []
        var simplified = 0, traditional = 0
        var variantCounts = VariantCounts()
        var decoded: ScalarDecode?
        let bytes = document.bytes
        let htmlView = html ? document.html : nil
        // Where the next HTML block's scalars and tokens are looked for (blocks come in document order).
        var nextScalar = 0, nextToken = 0
        // The unit's scalars: one run, made at the first unit that needs one and moved from unit to
        // unit (`ScalarRun.select`); a run made per unit retained and released the decode's arrays.
        var window: ScalarRun?
        // The document's Liquid tags across lines, found at the first unit counted; `hasLiquid` (nil: not
        // yet asked) lets the units of a document without any (nearly all) take `maskAndCount` with no
        // look-up and no copy of the list.
        var liquid = LiquidAcrossLines.empty
        var hasLiquid: Bool?
        /// Where the count of the unit at `scalars` writes its table bytes (nil: not written).
        func unitFlags(_ scalars: Range<Int>) -> UnsafeMutablePointer<UInt8>? {
            guard scalars.lowerBound >= 0, scalars.upperBound <= flags.count, let base = flags.baseAddress else { return nil }
            return base + scalars.lowerBound
        }
        for (step, (n, range)) in units.enumerated() {
            if sink.budgetSpent(step: step + 1, bytes: range.count) { return }
            let wide = bytes.withUnsafeBufferPointer { buf in
                var k = range.lowerBound
                while k < range.upperBound, buf[k] < 0xE3 { k &+= 1 }
                return k < range.upperBound
            }
            guard wide else { continue }
            document.decodeOnce(into: &decoded)
            guard let decode = decoded else { continue }
            let scalars = html ? document.scalarRange(decode, bytes: range, from: nextScalar) : document.scalarRange(decode, line: n)
            if window == nil { window = ScalarRun(decode, scalars) } else { window?.select(scalars) }
            guard let run = window else { preconditionFailure("the window is made or moved just above") }
            nextScalar = scalars.upperBound
            // Only a Traditional document reads the table bytes back (`mayHoldPhrase(_:flags:tables:heads:)`):
            // once the units counted so far lean Simplified, the next is counted without writing them
            // (~1.5 M stores at agora x1). Should the document turn Traditional after all, such a unit
            // is scanned from the table, with the same answer.
            let writesFlags = traditional >= simplified
            if hasLiquid == nil {
                liquid = ProseMask.spansAcrossLines(document)
                hasLiquid = !liquid.spans.isEmpty
            }
            // The unit's mask, when it has one, goes to `masks` in this branch only: a `NonProse`
            // returned for every unit (nearly all without a mask) was an empty array released at
            // every unit.
            var mask = writesFlags ? Self.unmaskedWithFlags : Self.unmaskedWithoutFlags
            let counts: (simplified: Int, traditional: Int, strictSimplified: Int, strictTraditional: Int, phraseHeads: Int)
            if hasLiquid == true, case let carried = liquid.covered(run), !carried.isEmpty {
                let masked = Self.maskAndCount(run, carried: carried, html: htmlView, tokenCursor: &nextToken, tables: tables, variants: &variantCounts,
                                               allInBMP: decode.allInBMP)
                counts = masked.counts
                if !masked.skip.flags.isEmpty {
                    mask = masks.count
                    masks.append(masked.skip)
                }
            } else {
                let masked = Self.unitMaskAndCount(run, bytes: bytes, html: htmlView, tokenCursor: &nextToken, tables: tables, variants: &variantCounts,
                                                   allInBMP: decode.allInBMP, flags: writesFlags ? unitFlags(scalars) : nil)
                counts = masked.counts
                if let found = masked.mask {
                    mask = masks.count
                    masks.append(NonProse(flags: found))
                }
            }
            let (s, t, strictS, strictT, phraseHeads) = counts
            simplified += s
            traditional += t
            // One entry a unit at most, and `runs` holds one a unit.
            guard runCount < runs.count else { preconditionFailure("runs holds one entry a unit") }
            runs.initializeElement(at: runCount, to: (scalars, mask, s, t, strictS, strictT, phraseHeads))
            runCount += 1
        }
        guard simplified != traditional, max(simplified, traditional) >= options.minEvidence, let decode = decoded else { return }
        let dominant: ScriptTables.Class = traditional > simplified ? .traditionalOnly : .simplifiedOnly
        // The document's own choice between two Traditional forms (裡/裏, 衞/衛, 為/爲 …, and 況 or 况) is what a fix
        // writes. Made when a finding first needs it (`checkLine`'s `style`): nearly every Traditional
        // document prefers 為 to 爲, and a map allocated for each of them, or a count of the forms
        // `VariantCounts` does not hold, cost every document what only the few with a fix need.
        // Not a closure over this function's variables: capturing them (the counts the first loop
        // mutates) put them in heap boxes, a few allocations for every document (+6.7 M at agora cold).
        var style = LazyHouseStyle(variants: variantCounts)
        // Names the text gives with their romanization once (金與正（Kim Yo-jong）) are names everywhere.
        // Collected when the first unit goes to `checkLine`, their only reader (most documents have none).
        var names: Set<[UInt32]>?
        for step in 0..<runCount {
            let (s, t, strictS, strictT, phraseHeads) = (runs[step].simplified, runs[step].traditional, runs[step].strictSimplified,
                                                         runs[step].strictTraditional, runs[step].phraseHeads)
            if sink.budgetSpent(step: step + 1, bytes: runs[step].scalars.count * 3) { return }
            // An HTML block written in the other script (a DW photo gallery in Simplified inside a
            // Traditional article, a quoted review) is a passage of its own, not leftovers.
            let (m, d) = dominant == .traditionalOnly ? (s, t) : (t, s)
            if html, m >= 2, Double(m) / Double(m + d) > options.maxLeftoverShare { continue }
            // Nothing `checkLine` could report: no minority character the dominant script's standard
            // does not also write, and no word-level leftover (only looked for in Traditional text,
            // and only from a phrase head before a character some entry continues with).
            let strictMinority = dominant == .traditionalOnly ? strictS : strictT
            if strictMinority == 0 && (dominant == .simplifiedOnly || phraseHeads == 0) { continue }
            window?.select(runs[step].scalars)
            // Made by the first loop for every unit in `runs`.
            guard let run = window else { preconditionFailure("a unit in runs had a window") }
            let mask = runs[step].mask
            if strictMinority == 0 {
                // Most of these units hold a head before a character the pair filter lets through but
                // no entry: `checkLine` would split them into clauses and find nothing.
                // An unmasked unit's count wrote its table bytes unless the units before it leaned
                // Simplified (`unmaskedWithoutFlags`); a file all in the BMP reads them back (with no
                // `NonProse` made, and released, for the unit).
                let written = mask == Self.unmaskedWithFlags && decode.allInBMP ? unitFlags(runs[step].scalars) : nil
                let candidate: Bool
                if skipsUnitsWithoutPhrase, let written {
                    candidate = Self.mayHoldPhrase(run, flags: written, tables: tables, heads: phraseHeads)
                } else {
                    let skip = mask < 0 ? NonProse(flags: []) : masks[mask]
                    candidate = !skipsUnitsWithoutPhrase ? Self.mayStartPhrase(run, skip, tables: tables, heads: phraseHeads)
                        : Self.mayHoldPhrase(run, skip, tables: tables, heads: phraseHeads, allInBMP: decode.allInBMP)
                }
                if !candidate { continue }
            }
            let skip = mask < 0 ? NonProse(flags: []) : masks[mask]
            if names == nil {
                var found = Set<[UInt32]>()
                for k in 0..<runCount {
                    let scalars = runs[k].scalars
                    collectRomanizedNames(Scalars(base: decode.cps, start: scalars.lowerBound, count: scalars.count), tables: tables, into: &found)
                }
                names = found
            }
            checkLine(run, skip, tables: tables, dominant: dominant, style: &style, names: names ?? [],
                      hasStrictMinority: !skipsCleanClauses || strictMinority > 0, into: &sink)
        }
    }

    /// A unit's counts of Simplified-only and Traditional-only characters (all, and those the other
    /// script's standard does not also write), of phrase heads, and its variant characters into
    /// `variants`; masked scalars count for nothing. One table byte per scalar
    /// (`ScriptTables.countFlags`) whose bits become the five counts at once: `countLanes` spreads
    /// them into 12-bit lanes of one word, so a scalar costs one add, not five; only a variant
    /// character takes a branch. Whether a word-level entry may start in the unit is asked only of
    /// a unit whose answer matters (`mayStartPhrase(_:_:tables:)`, when it holds a phrase head).
    /// `allInBMP`: every scalar of `run` lies in the BMP (`ScalarDecode.allInBMP`), so four are read
    /// from the table with no test.
    package static func count(_ run: ScalarRun, _ skip: NonProse, tables: ScriptTables, variants: inout VariantCounts, allInBMP: Bool = false)
        -> (simplified: Int, traditional: Int, strictSimplified: Int, strictTraditional: Int, phraseHeads: Int) {
        let counts = countNotingMarks(run, skip, tables: tables, variants: &variants, allInBMP: allInBMP, flags: NoCountFlags())
        return (counts.simplified, counts.traditional, counts.strictSimplified, counts.strictTraditional, counts.phraseHeads)
    }

    /// Where `countNotingMarks` puts the `countTable` byte of each scalar of an unmasked unit:
    /// nowhere, or a buffer `mayHoldPhrase(_:flags:tables:heads:)` reads. A type, not an optional
    /// pointer: the loop is specialized for each, with no test per group.
    private protocol CountFlagSink {
        func put(_ r: UInt8, at i: Int)
    }
    private struct NoCountFlags: CountFlagSink {
        @inline(__always) func put(_ r: UInt8, at i: Int) {}
    }
    private struct CountFlagBuffer: CountFlagSink {
        let base: UnsafeMutablePointer<UInt8>
        @inline(__always) func put(_ r: UInt8, at i: Int) { base[i] = r }
    }

    /// `count`, and whether the unit may hold a scalar that opens a non-prose span with text beyond
    /// ASCII (`ScriptTables.countProseMark`): false only when it holds none. The table bytes of a group of
    /// four are OR-ed together only in the branch the variant test already takes (the mark bit sends
    /// a group there too); a scalar beyond the BMP (or an ill-formed byte's) counts as a mark.
    /// An unmasked unit's bytes go to `flags` (a masked unit's do not), each scalar's at its index
    /// in `run` (a scalar beyond the BMP's is not its table byte: only a file all in the BMP reads them).
    private static func countNotingMarks<Flags: CountFlagSink>(_ run: ScalarRun, _ skip: NonProse, tables: ScriptTables, variants: inout VariantCounts,
                                                               allInBMP: Bool, flags: Flags)
        -> (simplified: Int, traditional: Int, strictSimplified: Int, strictTraditional: Int, phraseHeads: Int, mayHoldMark: Bool) {
        var s = 0, t = 0, strictS = 0, strictT = 0, heads = 0
        var marks: UInt8 = 0
        tables.countTable.withUnsafeBufferPointer { table in
            countLanes.withUnsafeBufferPointer { lanes in
                skip.flags.withUnsafeBufferPointer { skipped in
                    run.cps.withUnsafeElements { c in
                        let masked = !skipped.isEmpty
                        var from = 0
                        var seen: UInt8 = 0
                        defer { marks |= seen }
                        while from < c.count {
                            // At most `laneLimit` scalars a word, so no lane carries into the next.
                            let to = min(c.count, from &+ laneLimit)
                            var packed: UInt64 = 0
                            @inline(__always) func addVariant(_ r: UInt8, _ ch: UInt32) {
                                if r & ScriptTables.countVariant != 0 { variants.add(ch) }
                            }
                            @inline(__always) func add(_ ch: UInt32) -> UInt8 {
                                let r = ch < 0x10000 ? table[Int(ch)] : tables.countFlags(ch) | ScriptTables.countProseMark
                                packed &+= lanes[Int(r)]
                                seen |= r
                                addVariant(r, ch)
                                return r
                            }
                            if masked {
                                for i in from..<to where !skipped[i] { _ = add(c[i]) }
                            } else {
                                // Four scalars a step (the loop's own count and test are a fifth of a scalar's
                                // cost). Four in the BMP (nearly all) are read from the table without a test
                                // each, and tested for a variant character once.
                                @inline(__always) func addFourInBMP(_ i: Int) {
                                    let r0 = table[Int(c[i])], r1 = table[Int(c[i &+ 1])], r2 = table[Int(c[i &+ 2])], r3 = table[Int(c[i &+ 3])]
                                    flags.put(r0, at: i); flags.put(r1, at: i &+ 1); flags.put(r2, at: i &+ 2); flags.put(r3, at: i &+ 3)
                                    packed &+= lanes[Int(r0)] &+ lanes[Int(r1)] &+ lanes[Int(r2)] &+ lanes[Int(r3)]
                                    let any = r0 | r1 | r2 | r3
                                    if any & (ScriptTables.countVariant | ScriptTables.countProseMark) != 0 {
                                        // Into `marks` itself (in memory): `seen`, kept in a register
                                        // across the loop beside the table bytes' stores, was spilled.
                                        marks |= any
                                        addVariant(r0, c[i]); addVariant(r1, c[i &+ 1]); addVariant(r2, c[i &+ 2]); addVariant(r3, c[i &+ 3])
                                    }
                                }
                                var i = from
                                // A file all in the BMP has its own loop: the flag, tested at every group,
                                // was read from the stack (the loop's registers are all taken).
                                if allInBMP {
                                    // Against the last group's start, not `i + 4 <= to`: the loop then kept one
                                    // index register, not two (27 instructions a group, was 29).
                                    let lastGroup = to &- 4
                                    while i <= lastGroup {
                                        addFourInBMP(i)
                                        i &+= 4
                                    }
                                } else {
                                    while i &+ 4 <= to {
                                        if c.fourInBMP(at: i) {
                                            addFourInBMP(i)
                                        } else {
                                            flags.put(add(c[i]), at: i); flags.put(add(c[i &+ 1]), at: i &+ 1)
                                            flags.put(add(c[i &+ 2]), at: i &+ 2); flags.put(add(c[i &+ 3]), at: i &+ 3)
                                        }
                                        i &+= 4
                                    }
                                }
                                while i < to {
                                    flags.put(add(c[i]), at: i)
                                    i &+= 1
                                }
                            }
                            s &+= Int(packed & laneMask)
                            t &+= Int((packed &>> 12) & laneMask)
                            strictS &+= Int((packed &>> 24) & laneMask)
                            strictT &+= Int((packed &>> 36) & laneMask)
                            heads &+= Int((packed &>> 48) & laneMask)
                            from = to
                        }
                    }
                }
            }
        }
        return (s, t, strictS, strictT, heads, marks & ScriptTables.countProseMark != 0)
    }

    /// A unit's non-prose mask and its counts: the same counts as `ProseMask.nonProseIfAny(run, bytes:html:tokenCursor:)`
    /// and then `count` with that mask, and the same mask at every scalar beyond ASCII (a test holds
    /// the two to it), but most units' bytes are read once. The count notes the scalars that open a
    /// span which may hold text beyond ASCII (`ScriptTables.countProseMark`: `<`, `]`, a backtick,
    /// a Liquid tag's `{`, and a URL's `.` or `:`) as it reads the unit; only a unit holding one has its bytes scanned
    /// and, when a span is masked, is counted again with the mask. A unit with
    /// hidden HTML is masked first (URLs too) and counted once, as before. `check` calls `unitMaskAndCount`,
    /// inlined into it (called apart, it cost 1.4 M more on agora).
    /// `flags` (room for one byte a scalar of `run`): where a unit left unmasked has each scalar's
    /// `countTable` byte written as it is counted, for `mayHoldPhrase(_:flags:tables:heads:)`.
    /// A unit that Liquid tags across lines cover takes `maskAndCount(_:carried:…)` instead.
    package static func maskAndCount(_ run: ScalarRun, bytes: [UInt8], html: HTMLView?, tokenCursor: inout Int, tables: ScriptTables,
                                     variants: inout VariantCounts, allInBMP: Bool, flags: UnsafeMutablePointer<UInt8>? = nil)
        -> (skip: NonProse, counts: (simplified: Int, traditional: Int, strictSimplified: Int, strictTraditional: Int, phraseHeads: Int)) {
        let masked = unitMaskAndCount(run, bytes: bytes, html: html, tokenCursor: &tokenCursor, tables: tables, variants: &variants,
                                      allInBMP: allInBMP, flags: flags)
        return (NonProse(flags: masked.mask ?? []), masked.counts)
    }

    /// `maskAndCount` with the mask as an optional (nil: every scalar is prose), as `check` reads it.
    @inline(__always)
    private static func unitMaskAndCount(_ run: ScalarRun, bytes: [UInt8], html: HTMLView?, tokenCursor: inout Int, tables: ScriptTables,
                                         variants: inout VariantCounts, allInBMP: Bool, flags: UnsafeMutablePointer<UInt8>?)
        -> (mask: [Bool]?, counts: (simplified: Int, traditional: Int, strictSimplified: Int, strictTraditional: Int, phraseHeads: Int)) {
        var hidden: [Bool]?
        html?.markHiddenByToken(run, tokenCursor: &tokenCursor, into: &hidden)
        // Taken out of `hidden`, so that the mask is written in place (bound as a copy, it was
        // copied at its first write).
        if var mask = hidden.take() {
            if ProseMask.mayHoldNonProse(bytes, run.byteRange(0..<run.count)) {
                let found = ProseMask.nonProse(run)
                // Both hold `run.count` flags of 0 or 1: OR-ed byte by byte, with no branch per flag.
                found.withUnsafeBytes { f in mask.withUnsafeMutableBytes { m in for i in 0..<min(m.count, f.count) { m[i] |= f[i] } } }
            }
            return (mask, count(run, NonProse(flags: mask), tables: tables, variants: &variants, allInBMP: allInBMP))
        }
        let before = variants
        let first = flags.map { countNotingMarks(run, NonProse(flags: []), tables: tables, variants: &variants, allInBMP: allInBMP, flags: CountFlagBuffer(base: $0)) }
            ?? countNotingMarks(run, NonProse(flags: []), tables: tables, variants: &variants, allInBMP: allInBMP, flags: NoCountFlags())
        let counts = (first.simplified, first.traditional, first.strictSimplified, first.strictTraditional, first.phraseHeads)
        guard first.mayHoldMark, ProseMask.mayHoldNonProse(bytes, run.byteRange(0..<run.count)) else {
            return (nil, counts)
        }
        let found = ProseMask.nonProse(run)
        guard found.contains(true) else { return (nil, counts) }
        // Counted again with the mask, from the variant counts before the unit.
        variants = before
        return (found, count(run, NonProse(flags: found), tables: tables, variants: &variants, allInBMP: allInBMP))
    }

    /// `maskAndCount` of a unit that Liquid tags across lines cover (`carried`: `LiquidAcrossLines.covered`,
    /// not empty): masked first, its walk started after a tag carried into it, and counted once. Apart
    /// from `maskAndCount`, which the units of nearly every document take, so that it stays as small
    /// as before (inlined into `check`; with this path in it, it was not, ~4.5 M more on agora).
    /// No table bytes are written: `mayHoldPhrase` scans such a unit from the table.
    @inline(never)
    package static func maskAndCount(_ run: ScalarRun, carried: [Range<Int>], html: HTMLView?, tokenCursor: inout Int, tables: ScriptTables,
                                     variants: inout VariantCounts, allInBMP: Bool)
        -> (skip: NonProse, counts: (simplified: Int, traditional: Int, strictSimplified: Int, strictTraditional: Int, phraseHeads: Int)) {
        var hidden: [Bool]?
        html?.markHiddenByToken(run, tokenCursor: &tokenCursor, into: &hidden)
        var found = ProseMask.nonProse(run, from: LiquidAcrossLines.head(carried))
        ProseMask.mark(carried, in: &found)
        if let mask = hidden {
            // Both hold `run.count` flags of 0 or 1: OR-ed byte by byte, with no branch per flag.
            mask.withUnsafeBytes { m in found.withUnsafeMutableBytes { f in for i in 0..<min(m.count, f.count) { f[i] |= m[i] } } }
        }
        let skip = NonProse(flags: found)
        return (skip, count(run, skip, tables: tables, variants: &variants, allInBMP: allInBMP))
    }

    /// `maskAndCount` with the document's Liquid tags across lines (`liquid`), as `check` chooses between
    /// the two paths.
    package static func maskAndCount(_ run: ScalarRun, bytes: [UInt8], html: HTMLView?, tokenCursor: inout Int, tables: ScriptTables,
                                     variants: inout VariantCounts, allInBMP: Bool, liquid: LiquidAcrossLines)
        -> (skip: NonProse, counts: (simplified: Int, traditional: Int, strictSimplified: Int, strictTraditional: Int, phraseHeads: Int)) {
        let carried = liquid.covered(run)
        if carried.isEmpty {
            return maskAndCount(run, bytes: bytes, html: html, tokenCursor: &tokenCursor, tables: tables, variants: &variants, allInBMP: allInBMP)
        }
        return maskAndCount(run, carried: carried, html: html, tokenCursor: &tokenCursor, tables: tables, variants: &variants, allInBMP: allInBMP)
    }

    /// Scalars counted into one packed word before its lanes are added up (a lane holds 4,095).
    private static let laneLimit = 4095
    private static let laneMask: UInt64 = 0xFFF

    /// For each count byte: its Simplified, Traditional, strict Simplified, strict Traditional and
    /// phrase-head bits, each as a 1 in its own 12-bit lane.
    package static let countLanes: [UInt64] = (0..<256).map { (r: Int) -> UInt64 in
        let bits: [(UInt8, UInt64)] = [(ScriptTables.countSimplified, 0), (ScriptTables.countTraditional, 12),
                                       (ScriptTables.countStrictSimplified, 24), (ScriptTables.countStrictTraditional, 36),
                                       (ScriptTables.countPhraseHead, 48)]
        return bits.reduce(0) { sum, bit in UInt8(r) & bit.0 != 0 ? sum | 1 << bit.1 : sum }
    }

    /// Whether a word-level entry may start in the unit: an unmasked phrase head before a character
    /// the pair filter lets through (`checkLine` finds no word-level leftover in a unit without one).
    package static func mayStartPhrase(_ run: ScalarRun, _ skip: NonProse, tables: ScriptTables) -> Bool {
        mayStartPhrase(run, skip, tables: tables, heads: .max)
    }

    /// `mayStartPhrase(run, skip, tables:)` for a unit whose `count` found `heads` phrase heads: the
    /// scan stops after the last of them.
    package static func mayStartPhrase(_ run: ScalarRun, _ skip: NonProse, tables: ScriptTables, heads: Int) -> Bool {
        scanPhraseHeads(run, skip, tables: tables, heads: heads, needsWholeEntry: false, allInBMP: false)
    }

    /// Whether a word-level entry occurs whole in the unit from an unmasked phrase head that passes
    /// the pair filter (the scan stops after the unit's `heads` phrase heads). `phraseHits` reports
    /// only such an occurrence inside one clause, so a unit without one has no word-level leftover.
    /// `heads` must be exactly what `count` returned for the same `run` and `skip` (or `.max`): the
    /// scan may stop as soon as that many heads are behind it. `allInBMP` as for `count`.
    package static func mayHoldPhrase(_ run: ScalarRun, _ skip: NonProse, tables: ScriptTables, heads: Int, allInBMP: Bool = false) -> Bool {
        scanPhraseHeads(run, skip, tables: tables, heads: heads, needsWholeEntry: true, allInBMP: allInBMP)
    }

    /// `mayHoldPhrase(run, NonProse(flags: []), tables: tables, heads: heads, allInBMP: true)` read
    /// from the unit's `countTable` bytes, `flags` (one a scalar of `run`, as `maskAndCount` wrote
    /// them; every scalar in the BMP): eight positions a step from two word loads, each byte's head
    /// bit shifted up one onto the next byte's `countPhraseSecond` bit. The scan from the scalars
    /// read the table again, five reads for four positions (~24 M on agora; this scan ~10 M, the
    /// count's stores ~2 M: cold ×1 −9.6 M in all).
    /// The answer is the same: only a position with both bits can start a whole entry, each is
    /// asked as there, and the scan stops early only once every head is behind (`left`).
    package static func mayHoldPhrase(_ run: ScalarRun, flags: UnsafePointer<UInt8>, tables: ScriptTables, heads: Int) -> Bool {
        run.cps.withUnsafeElements { c in
            let count = c.count
            var left = max(1, heads)
            let second = ScriptTables.countPhraseSecond
            let seconds = UInt64(second) &* 0x0101_0101_0101_0101
            /// 1 when an entry starts whole at `i` (a head before an entry's second character, with
            /// `i + 1 < count`), else -1.
            @inline(__always) func entryAt(_ i: Int) -> Int {
                tables.mayStartPhrase(c[i], c[i &+ 1]) && startsWholeEntry(c, at: i, tables: tables) ? 1 : -1
            }
            let raw = UnsafeRawPointer(flags)
            var i = 0
            // Positions i..<i+8 and their next bytes, all inside the unit.
            while i &+ 9 <= count {
                let here = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let next = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i &+ 1, as: UInt64.self))
                var pairs = (here &<< 1) & next & seconds
                if pairs != 0 {
                    repeat {
                        let r = entryAt(i &+ pairs.trailingZeroBitCount &>> 3)
                        if r > 0 { return true }
                        left &+= r
                        pairs &= pairs &- 1
                    } while pairs != 0
                    if left <= 0 { return false }
                }
                i &+= 8
            }
            while i &+ 1 < count {
                if (flags[i] &<< 1) & flags[i &+ 1] & second != 0 {
                    let r = entryAt(i)
                    if r > 0 { return true }
                    left &+= r
                    if left <= 0 { return false }
                }
                i &+= 1
            }
            return false
        }
    }

    /// Whether one of the phrase entries that start with `c[i]` follows whole from `i` (both phrase
    /// scans ask it of a head that passed their pair test).
    @inline(__always)
    private static func startsWholeEntry(_ c: UnsafeBufferPointer<UInt32>, at i: Int, tables: ScriptTables) -> Bool {
        guard let candidates = tables.phrases(startingWith: c[i]) else { return false }
        for candidate in candidates where i + candidate.from.count <= c.count {
            var k = 0
            while k < candidate.from.count && c[i + k] == candidate.from[k] { k += 1 }
            if k == candidate.from.count { return true }
        }
        return false
    }

    /// The scan behind `mayStartPhrase` and `mayHoldPhrase`: each unmasked phrase head whose next
    /// character passes the pair filter answers true, or (`needsWholeEntry`) only when one of its
    /// entries follows whole.
    ///
    /// A phrase head (27% of agora's Han characters) rarely stands before the second character of
    /// one of its entries, which a whole entry needs: `mayHoldPhrase` first tests four positions at
    /// once for a head followed by any entry's second character (`ScriptTables.countPhraseSecond`),
    /// and in a group with one reads only the positions that have it. (Not `mayStartPhrase`: the
    /// pair filter's collisions pass it too.) A passed-over position's head is not subtracted from
    /// `heads`, so the scan may stop later, never earlier; `left` reaches 0 only once every
    /// unmasked head is behind, so the answer is the same.
    ///
    /// The buffers' closure is compiled apart (outlined), flags reaching it as captured values are
    /// tested at every group: it branches once to the loop specialized for the pair of flags
    /// (`PhraseScan`), where they are constants.
    private static func scanPhraseHeads(_ run: ScalarRun, _ skip: NonProse, tables: ScriptTables, heads: Int, needsWholeEntry: Bool, allInBMP: Bool) -> Bool {
        tables.countTable.withUnsafeBufferPointer { table in
            run.cps.withUnsafeElements { c in
                switch (needsWholeEntry, allInBMP) {
                case (true, true): return scanPhraseHeads(c, table, skip, tables: tables, heads: heads, WholeEntryInBMP.self)
                case (true, false): return scanPhraseHeads(c, table, skip, tables: tables, heads: heads, WholeEntry.self)
                // Without `needsWholeEntry` no group is tested at once, and `allInBMP` is not read.
                case (false, _): return scanPhraseHeads(c, table, skip, tables: tables, heads: heads, PassingHead.self)
                }
            }
        }
    }

    /// The flags of a `scanPhraseHeads` loop as a type's constants: a generic loop is specialized for
    /// each type, its flags folded (an `@inline(__always)` loop taking them as arguments was compiled
    /// once and tested them at every group).
    private protocol PhraseScan {
        static var needsWholeEntry: Bool { get }
        static var allInBMP: Bool { get }
    }
    private enum PassingHead: PhraseScan {
        static var needsWholeEntry: Bool { false }
        static var allInBMP: Bool { false }
    }
    private enum WholeEntry: PhraseScan {
        static var needsWholeEntry: Bool { true }
        static var allInBMP: Bool { false }
    }
    private enum WholeEntryInBMP: PhraseScan {
        static var needsWholeEntry: Bool { true }
        static var allInBMP: Bool { true }
    }

    /// `scanPhraseHeads` on the unit's scalars `c` and the count table, with the flags of `Scan`.
    private static func scanPhraseHeads<Scan: PhraseScan>(_ c: UnsafeBufferPointer<UInt32>, _ table: UnsafeBufferPointer<UInt8>, _ skip: NonProse,
                                                          tables: ScriptTables, heads: Int, _: Scan.Type) -> Bool {
        let needsWholeEntry = Scan.needsWholeEntry, allInBMP = Scan.allInBMP
        let count = c.count
        // At least one: the scan always reads up to its first head, as with `heads` 0 before.
        var left = max(1, heads)
        /// 1 when position `i` answers the scan, -1 for an unmasked head that does not (`left`
        /// counts them down), else 0. `left` is not captured: an outlined copy boxed it per scan.
        @inline(__always) func entryAt(_ i: Int) -> Int {
            let ch = c[i]
            let r = ch < 0x10000 ? table[Int(ch)] : tables.countFlags(ch)
            guard r & ScriptTables.countPhraseHead != 0, !skip[i] else { return 0 }
            if i + 1 < count, tables.mayStartPhrase(ch, c[i + 1]) {
                guard needsWholeEntry else { return 1 }
                if startsWholeEntry(c, at: i, tables: tables) { return 1 }
            }
            return -1
        }
        var i = 0
        // Groups of four whose next scalar (the last one's second) exists; all five in the
        // BMP, where the table holds `countPhraseSecond`.
        while i &+ 5 <= count {
            if needsWholeEntry, allInBMP || c.fourInBMP(at: i) && c[i &+ 4] < 0x10000 {
                let t0 = table[Int(c[i])], t1 = table[Int(c[i &+ 1])], t2 = table[Int(c[i &+ 2])]
                let t3 = table[Int(c[i &+ 3])], t4 = table[Int(c[i &+ 4])]
                // Position k's head bit lined up with its next scalar's second bit.
                let p0 = (t0 &<< 1) & t1, p1 = (t1 &<< 1) & t2, p2 = (t2 &<< 1) & t3, p3 = (t3 &<< 1) & t4
                let second = ScriptTables.countPhraseSecond
                if (p0 | p1 | p2 | p3) & second != 0 {
                    // Only a position whose head stands before an entry's second character can
                    // start a whole entry: the others (most) are passed over. Written out per
                    // position: a loop over the four, or the group packed into one word, measured
                    // slower (BENCHMARKS "Session 34", "Tried and not kept").
                    if p0 & second != 0 { let r = entryAt(i); if r > 0 { return true }; left &+= r }
                    if p1 & second != 0 { let r = entryAt(i &+ 1); if r > 0 { return true }; left &+= r }
                    if p2 & second != 0 { let r = entryAt(i &+ 2); if r > 0 { return true }; left &+= r }
                    if p3 & second != 0 { let r = entryAt(i &+ 3); if r > 0 { return true }; left &+= r }
                    if left <= 0 { return false }
                }
                i &+= 4
                continue
            }
            for k in i..<(i &+ 4) {
                let r = entryAt(k)
                if r > 0 { return true }
                left &+= r
                if left <= 0 { return false }
            }
            i &+= 4
        }
        while i < count {
            let r = entryAt(i)
            if r > 0 { return true }
            left &+= r
            if left <= 0 { return false }
            i &+= 1
        }
        return false
    }

    /// How often a document writes each variant character (`variantOf`'s keys, the characters
    /// `ScriptTables` flags `countVariant`): eight counters in place. A dictionary hashed every 為
    /// of a Traditional text, and was allocated per document.
    package struct VariantCounts {
        private var counts = SIMD8<Int>()

        package init() {}

        /// The counter of a variant character, nil for any other (a test holds it to `variantOf`).
        @inline(__always)
        package static func slot(_ ch: UInt32) -> Int? {
            switch ch {
            case 0x88CF: return 0
            case 0x88E1: return 1
            case 0x70BA: return 2
            case 0x7232: return 3
            case 0x7DDA: return 4
            case 0x7DAB: return 5
            case 0x885B: return 6
            case 0x885E: return 7
            default: return nil
            }
        }

        @inline(__always)
        package mutating func add(_ ch: UInt32) {
            if let k = Self.slot(ch) { counts[k] &+= 1 }
        }

        package subscript(ch: UInt32) -> Int { Self.slot(ch).map { counts[$0] } ?? 0 }
    }

    /// The frequent pairs of `HouseStyle.formPairs` (Taiwan prints 裡 and 為, Hong Kong often 裏 and
    /// 衞), both ways: `VariantCounts` counts them while the script is counted (the flag table marks
    /// them), the rest only when a fix needs them.
    package static let variantOf: [UInt32: UInt32] = {
        var m: [UInt32: UInt32] = [:]
        for (a, b) in [(0x88CF, 0x88E1), (0x70BA, 0x7232), (0x7DDA, 0x7DAB), (0x885B, 0x885E)] as [(UInt32, UInt32)] {
            m[a] = b
            m[b] = a
        }
        return m
    }()

    /// `text` with each variant character replaced by the one the document prefers.
    package static func applying(_ preferred: [UInt32: UInt32], to text: String) -> String {
        guard !preferred.isEmpty else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { preferred[$0.value].flatMap(Unicode.Scalar.init) ?? $0 }))
    }

    /// A document's `HouseStyle`, made when first asked: `VariantCounts` from the script's count,
    /// the other forms counted then over the whole document (the decode `get`'s scalars are a window on).
    package struct LazyHouseStyle {
        let variants: VariantCounts
        private var made: HouseStyle?

        init(variants: VariantCounts) { self.variants = variants }

        /// The style of the document whose decode `window` lies in.
        mutating func get(_ window: Scalars) -> HouseStyle {
            if let made { return made }
            var counts: [UInt32: Int] = [:]
            HouseStyle.count(Scalars(base: window.base, start: 0, count: window.base.count), into: &counts)
            let style = HouseStyle(variants: variants, counts: counts)
            made = style
            return style
        }
    }

    /// A document's own forms, for what a fix writes: of two standard Traditional forms, the one the
    /// document writes more often (its house style), and which Simplified-looking variants that
    /// Traditional print accepts (况) it does not itself use.
    package struct HouseStyle {
        /// A form a fix's text may hold → the form written instead.
        package let preferred: [UInt32: UInt32]
        /// Accepted variants (况) whose Traditional form (況) the document writes at least as often
        /// (one 况 is the occurrence being fixed), each with that form: beside a converted leftover (状况) they are part of the word it
        /// fixes (狀況, not 狀况). Never converted alone: Hong Kong writers use them.
        package let convertedVariants: [UInt32: UInt32]

        /// Pairs of standard Traditional forms that a fix may write (OpenCC's choice for a Simplified
        /// character or word is one of the two), the default first: the form agora-pen's Traditional
        /// outlets (RTHK, CNA, RFA, DW) print far more often when a document gives no choice of its
        /// own (裡 314 : 裏 5, 為 : 爲, 眾 : 衆, 啟 : 啓, 偽 : 僞, 濕 : 溼, 麵 : 麪; 衛 : 衞 and 鉤 : 鈎 are
        /// even at RTHK and keep OpenCC's). Characters that no fix writes (台/臺, 峰/峯, 着/著: the
        /// Simplified side is also Traditional) need no entry.
        package static let formPairs: [(standard: UInt32, other: UInt32)] =
            ["裡裏", "為爲", "線綫", "衛衞", "眾衆", "啟啓", "偽僞", "濕溼", "麵麪", "說説", "銳鋭", "閱閲", "鉤鈎"].map { let p = pair($0); return (standard: p.0, other: p.1) }

        /// Simplified-only characters that Traditional print accepts (allow-traditional.txt) with one
        /// Traditional form, each with it; not 黄 (a surname: 黄 is many a registered name), nor those
        /// with two forms (迹 跡/蹟, 别 別/彆, 冲 衝/沖, 毁): which one the word takes is unknown.
        package static let acceptedVariants: [(variant: UInt32, form: UInt32)] =
            ["恒恆", "麽麼", "内內", "强強", "况況", "横橫", "踪蹤", "抛拋", "撑撐", "决決", "册冊", "凉涼", "减減", "净淨", "叙敘", "却卻"]
                .map { let p = pair($0); return (variant: p.0, form: p.1) }

        /// The characters `count` counts: `formPairs` beyond `VariantCounts`'s, and the accepted
        /// variants with their forms.
        private static let counted: Set<UInt32> = {
            var set = Set<UInt32>()
            for (a, b) in formPairs where VariantCounts.slot(a) == nil { set.insert(a); set.insert(b) }
            for (v, f) in acceptedVariants { set.insert(v); set.insert(f) }
            return set
        }()

        private static func pair(_ s: String) -> (UInt32, UInt32) {
            let v = s.unicodeScalars.map(\.value)
            return (v[0], v[1])
        }

        /// `counted` as one bit per character of U+3400..<U+A000 (all of them lie there): the count
        /// walks a whole document, and a hash of every Han character was most of its cost.
        private static let countedBits: [UInt64] = {
            var bits = [UInt64](repeating: 0, count: (0xA000 - 0x3400) / 64)
            for c in counted where c >= 0x3400 && c < 0xA000 {
                let i = Int(c - 0x3400)
                bits[i >> 6] |= 1 << UInt64(i & 63)
            }
            return bits
        }()

        /// Adds `c`'s occurrences of the characters this style counts beyond `VariantCounts` to `counts`.
        package static func count(_ c: Scalars, into counts: inout [UInt32: Int]) {
            countedBits.withUnsafeBufferPointer { bits in
                c.withUnsafeElements { scalars in
                    for ch in scalars {
                        let i = ch &- 0x3400
                        guard i < 0xA000 - 0x3400, bits[Int(i >> 6)] & (1 << UInt64(i & 63)) != 0 else { continue }
                        counts[ch, default: 0] += 1
                    }
                }
            }
        }

        /// The style of a document with `variants` (counted with the script) and `counts` (`count`).
        package init(variants: VariantCounts, counts: [UInt32: Int]) {
            func times(_ c: UInt32) -> Int { VariantCounts.slot(c) != nil ? variants[c] : counts[c, default: 0] }
            var preferred: [UInt32: UInt32] = [:]
            for (standard, other) in Self.formPairs {
                if times(other) > times(standard) { preferred[standard] = other } else { preferred[other] = standard }
            }
            self.preferred = preferred
            var converted: [UInt32: UInt32] = [:]
            // The variant beside a leftover is one of its own occurrences: the form written at least
            // as often as the variant is the document's.
            for (variant, form) in Self.acceptedVariants where times(form) > 0 && times(form) >= times(variant) { converted[variant] = form }
            convertedVariants = converted
        }
    }

    /// Closing quote for an opening one (switches, not hashed collections: called per scalar).
    @inline(__always)
    private static func closer(of c: UInt32) -> UInt32? {
        switch c {
        case 0x201C: return 0x201D
        case 0x22: return 0x22  // "…" typed in ASCII (DW quotes a Taiwanese review so)
        case 0x300C: return 0x300D
        case 0x300E: return 0x300F
        default: return nil
        }
    }

    @inline(__always)
    private static func isClauseEnd(_ c: UInt32) -> Bool {
        switch c {
        case 0xFF0C, 0x3002, 0xFF1B, 0xFF01, 0xFF1F, 0x3001, 0xFF1A, 0x2C, 0x2E, 0x3B, 0x21, 0x3F,
             0x201C, 0x201D, 0x300C, 0x300D, 0x300E, 0x300F, 0x28, 0x29, 0xFF08, 0xFF09: return true
        default: return false
        }
    }

    /// `hasStrictMinority: false`: the unit counted no minority character the dominant script's
    /// standard does not also write (`count`), so no clause has one (`m` is 0 in every clause) and a
    /// clause without a word-level leftover is passed over before its characters are counted.
    /// `skip` is read only at scalars from U+3400 up and at phrase heads (never ASCII):
    /// `maskAndCount` leaves a unit whose spans hold only ASCII (URLs, times) unmasked.
    /// `style`: the document's `HouseStyle`, asked only when there is something to write (it is
    /// counted then, once a document).
    private func checkLine(_ run: ScalarRun, _ skip: NonProse, tables: ScriptTables, dominant: ScriptTables.Class, style: inout LazyHouseStyle,
                           names: Set<[UInt32]> = [], hasStrictMinority: Bool = true, into sink: inout DiagnosticSink) {
        let c = run.cps
        let n = c.count
        let minority: ScriptTables.Class = dominant == .traditionalOnly ? .simplifiedOnly : .traditionalOnly
        // Units: quotations (content of a closed quote on this line) and clauses between punctuation.
        var units: [(range: Range<Int>, quote: Bool)] = []
        var i = 0
        var start = 0
        while i < n {
            if let close = Self.closer(of: c[i]), let end = c[(i + 1)...].firstIndex(of: close) {
                if start < i { units.append((start..<i, false)) }
                units.append(((i + 1)..<end, true))
                i = end + 1
                start = i
                continue
            }
            if Self.isClauseEnd(c[i]) {
                if start < i { units.append((start..<i, false)) }
                start = i + 1
            }
            i += 1
        }
        if start < n { units.append((start..<n, false)) }

        var items: [Item] = []
        var quotations: [Range<Int>] = []
        // Sentences written mostly in the other script are quoted passages (DW citing a Traditional
        // CNA report inside a Simplified article): a clause of theirs with one other-script character
        // is no leftover, and converting it would only make the passage more mixed.
        let quotedSentences = hasStrictMinority ? otherScriptSentences(c, skip, tables: tables, dominant: dominant, minority: minority) : []
        var queue = units[...]
        while let unit = queue.popFirst() {
            if quotedSentences.contains(where: { $0.contains(unit.range.lowerBound) }) {
                quotations.append(unit.range)
                continue
            }
            let hits = dominant == .traditionalOnly ? phraseHits(c, unit.range, skip, tables: tables) : []
            if !hasStrictMinority && hits.isEmpty { continue }
            var d = 0, m = 0
            for k in unit.range where !skip[k] && c[k] >= 0x3400 {
                let cls = tables.scriptClass(c[k])
                if cls == dominant { d += 1 } else if cls == minority && !tables.isAllowed(c[k], in: dominant) { m += 1 }
            }
            let mm = m + hits.count
            guard mm > 0 else { continue }
            // Japanese beside the clause (日韓、安全保障で…): shinjitai and kanji are no leftovers.
            // (Asked only of a clause with something to report: most clauses have nothing.)
            if Self.holdsKana(c, max(0, unit.range.lowerBound - Self.kanaWindow)..<min(n, unit.range.upperBound + Self.kanaWindow)) { continue }
            if unit.quote && d > 0 && m > 0 {
                // A quote mixing both scripts: judge its clauses one by one.
                var s = unit.range.lowerBound
                var parts: [(range: Range<Int>, quote: Bool)] = []
                for k in unit.range where Self.isClauseEnd(c[k]) {
                    if s < k { parts.append((s..<k, false)) }
                    s = k + 1
                }
                if s < unit.range.upperBound { parts.append((s..<unit.range.upperBound, false)) }
                if parts.count > 1 { queue = parts[...] + queue; continue }
            }
            // A quotation with no dominant-script character at all is a quotation however short.
            let isQuotation = (unit.quote && d == 0) || m >= 2 && (d == 0 || Double(m) / Double(m + d) > options.maxLeftoverShare)
            if isQuotation {
                quotations.append(unit.range)
                continue
            }
            // The end of the last word a converted character began (see `wordBegunByConversion`).
            var wordEnd = unit.range.lowerBound
            for k in unit.range where !skip[k] && c[k] >= 0x3400 && tables.scriptClass(c[k]) == minority && !tables.isAllowed(c[k], in: dominant) {
                if k < wordEnd || Self.inName(c, k, names) || Self.startsJapaneseSurname(c, k) { continue }
                let counterparts = tables.counterparts(of: c[k])
                // Only a counterpart beyond the BMP (鰤 → 𫚕): the other script's writers use this form.
                if !counterparts.isEmpty && counterparts.allSatisfy({ $0 >= 0x20000 }) { continue }
                let forms = counterparts.map { String(Character(Unicode.Scalar($0) ?? "?")) }
                // A single character of a name (right after a surname, or a surname itself) is reported, never rewritten.
                let afterSurname = (k >= 1 && tables.isNameCharacter(c[k - 1])) || (k >= 2 && tables.isNameCharacter(c[k - 2]))
                let fixable = !afterSurname && !tables.isNameCharacter(c[k])
                if fixable, dominant == .traditionalOnly, counterparts.count == 1, let form = counterparts.first,
                   let word = wordBegunByConversion(c, k, form: form, limit: unit.range, tables: tables),
                   !hits.contains(where: { $0.range.overlaps(word.range) }) {
                    items.append(word)
                    wordEnd = word.range.upperBound
                    continue
                }
                var item = Item(range: k..<(k + 1), text: String(Character(Unicode.Scalar(c[k]) ?? "?")), forms: forms, fixable: fixable)
                if fixable && dominant == .traditionalOnly && forms.count == 1 {
                    item = withAcceptedNeighbours(item, c, skip, limit: max(unit.range.lowerBound, wordEnd)..<unit.range.upperBound, style: &style)
                    wordEnd = item.range.upperBound
                }
                items.append(item)
            }
            items += hits
        }
        let scriptName = dominant == .traditionalOnly ? "Traditional" : "Simplified"
        let otherName = dominant == .traditionalOnly ? "Simplified" : "Traditional"
        if !items.isEmpty {
            items.sort { $0.range.lowerBound < $1.range.lowerBound }
            var seen = Set<String>()
            var parts: [String] = []
            var edits: [Edit] = []
            let preferred = style.get(c).preferred
            for item in items {
                if item.forms.count == 1 && item.fixable {
                    edits.append(Edit(range: run.byteRange(item.range), replacement: Self.applying(preferred, to: item.forms[0])))
                }
                if seen.insert(item.text).inserted {
                    parts.append(item.forms.isEmpty ? item.text : "\(item.text) → \(item.forms.map { Self.applying(preferred, to: $0) }.joined(separator: "/"))")
                }
            }
            let span = items[0].range.lowerBound..<(items.map(\.range.upperBound).max() ?? items[0].range.upperBound)
            let noun = items.count == 1 ? "leftover" : "leftovers"
            sink.report(run.byteRange(span), "\(otherName) \(noun) in \(scriptName) text: \(parts.joined(separator: ", "))",
                        fix: edits.isEmpty ? nil : Fix(.unsafe, "Convert to \(scriptName)", edits: edits))
        }
        if options.reportQuotations {
            for q in quotations {
                sink.report(run.byteRange(q), "clause written in \(otherName) inside \(scriptName) text (a quotation?)", severity: .info)
            }
        }
    }

    /// The sentences of `c` (up to `。！？` or the end) whose minority-script characters are more than
    /// `maxLeftoverShare` of their script-specific ones, at least two: the clause test of `checkLine`
    /// applied to the whole sentence, so that a quoted passage's clauses are judged together. A
    /// sentence right after such a one that holds a single minority character and none of the
    /// dominant script continues the passage: CNA's `（譯者：曹宇帆/核稿：施施）` after a quoted
    /// Traditional paragraph is part of the quotation, not a leftover 譯.
    private func otherScriptSentences(_ c: Scalars, _ skip: NonProse, tables: ScriptTables, dominant: ScriptTables.Class,
                                      minority: ScriptTables.Class) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0, d = 0, m = 0
        var afterPassage = false
        for k in 0...c.count {
            let ends = k == c.count || c[k] == 0x3002 || c[k] == 0xFF01 || c[k] == 0xFF1F
            if ends {
                let passage = m >= 2 && Double(m) / Double(m + d) > options.maxLeftoverShare || afterPassage && m == 1 && d == 0
                if passage { result.append(start..<k) }
                // A sentence without script-specific characters (`。。`, a number) neither starts nor ends a passage.
                if m + d > 0 { afterPassage = passage }
                start = k + 1
                d = 0
                m = 0
                continue
            }
            guard c[k] >= 0x3400, !skip[k] else { continue }
            let cls = tables.scriptClass(c[k])
            if cls == dominant { d += 1 } else if cls == minority && !tables.isAllowed(c[k], in: dominant) { m += 1 }
        }
        return result
    }

    /// Personal names given with their romanization, `黃之瀚(Alex Wong)`, `凌靜怡(Andrea …)`: the
    /// person's own spelling (a surname and one or two more Han characters right before the parenthesis,
    /// or a Han run of two to four characters of its own).
    private func collectRomanizedNames(_ c: Scalars, tables: ScriptTables, into names: inout Set<[UInt32]>) {
        // Most lines have no parenthesis before a letter: look for the next one in the buffer (no index check per scalar).
        let count = c.count
        var p = 2
        while p < count - 1 {
            p = c.withUnsafeElements { Self.firstParenthesisBeforeLetter($0, from: p, to: count - 1) }
            guard p < count - 1 else { return }
            defer { p += 1 }
            // A Han run of two to four characters standing alone (after punctuation or markup) is the
            // name whatever its first character: `，凌靜怡(Andrea Lingenfelter)译` in a Simplified list
            // of translators keeps the translator's own 靜.
            var runStart = p
            while runStart > 0, p - runStart <= 4, CJK.isHan(c[runStart - 1]) { runStart -= 1 }
            if (2...4).contains(p - runStart) && (runStart == 0 || !CJK.isHan(c[runStart - 1])) {
                names.insert((runStart..<p).map { c[$0] })
                continue
            }
            for start in [p - 3, p - 2] where start >= 0 && (start..<p).allSatisfy({ CJK.isHan(c[$0]) }) {
                let surname = tables.isNameCharacter(c[start]) || tables.counterparts(of: c[start]).contains { tables.isNameCharacter($0) }
                if surname { names.insert((start..<p).map { c[$0] }); break }
            }
        }
    }

    /// The first `k` in `from..<last` where `(` or `（` is followed by an ASCII letter, or `last`.
    /// Four scalars are tested at once for either parenthesis (two vector compares); only a group
    /// holding one is read scalar by scalar (a long unit has few).
    package static func firstParenthesisBeforeLetter(_ buf: UnsafeBufferPointer<UInt32>, from: Int, to last: Int) -> Int {
        guard let base = buf.baseAddress, last <= buf.count &- 1 else { return max(from, last) }
        let ascii = SIMD4<UInt32>(repeating: 0x28), fullWidth = SIMD4<UInt32>(repeating: 0xFF08)
        var k = from
        while k < last {
            while k &+ 4 <= last {
                let group = UnsafeRawPointer(base + k).loadUnaligned(as: SIMD4<UInt32>.self)
                if any((group .== ascii) .| (group .== fullWidth)) { break }
                k &+= 4
            }
            let stop = min(k &+ 4, last)
            while k < stop {
                if (buf[k] == 0x28 || buf[k] == 0xFF08) && CJK.isASCIILetter(buf[k &+ 1]) { return k }
                k &+= 1
            }
        }
        return last
    }

    /// Whether scalar `k` lies in an occurrence of one of `names`.
    private static func inName(_ c: Scalars, _ k: Int, _ names: Set<[UInt32]>) -> Bool {
        for name in names {
            for offset in 0..<name.count where k - offset >= 0 && k - offset + name.count <= c.count {
                if name.indices.allSatisfy({ c[k - offset + $0] == name[$0] }) { return true }
            }
        }
        return false
    }

    /// Japanese surnames whose first kanji is a Simplified-only form in Chinese (猪口邦子 is written so
    /// in Taiwan and Hong Kong too): a name, never a leftover.
    private static let japaneseSurnames: [[UInt32]] = ["猪口", "猪瀬", "猪木", "猪俣", "猪熊"].map { $0.unicodeScalars.map(\.value) }

    private static func startsJapaneseSurname(_ c: Scalars, _ k: Int) -> Bool {
        japaneseSurnames.contains { name in k + name.count <= c.count && name.indices.allSatisfy { c[k + $0] == name[$0] } }
    }

    /// Scalars on either side of a clause searched for kana.
    private static let kanaWindow = 12

    /// Japanese text (kana in or beside the clause): its shinjitai and kanji are not Chinese leftovers.
    private static func holdsKana(_ c: Scalars, _ range: Range<Int>) -> Bool {
        for k in range {
            switch c[k] {
            case 0x3041...0x3096, 0x30A1...0x30FA, 0xFF66...0xFF9D: return true
            default: continue
            }
        }
        return false
    }

    /// Word-level leftovers of neutral characters (`干部` for `幹部`), longest match first, unless a
    /// Traditional word overlapping the match is the better reading (see `overlappedByWord`).
    /// `skip` is read at phrase heads only (see `checkLine`).
    private func phraseHits(_ c: Scalars, _ range: Range<Int>, _ skip: NonProse, tables: ScriptTables) -> [Item] {
        var result: [Item] = []
        var i = range.lowerBound
        outer: while i < range.upperBound {
            // Every entry has at least two characters: the pair filter rules out most heads.
            if !skip[i], tables.isPhraseHead(c[i]), i + 1 < range.upperBound, tables.mayStartPhrase(c[i], c[i + 1]),
               let candidates = tables.phrases(startingWith: c[i]) {
                for cand in candidates where i + cand.from.count <= range.upperBound {
                    var match = true
                    for (k, v) in cand.from.enumerated() where c[i + k] != v { match = false; break }
                    guard match else { continue }
                    let end = i + cand.from.count
                    let differing = cand.from.indices.filter { cand.from[$0] != cand.to[$0] }.map { $0 + i }
                    if overlappedByWord(c, i..<end, differing: differing, frequency: cand.frequency, limit: range) || startsName(c, differing, lower: range.lowerBound) {
                        // 一國兩制成功: 制 belongs to 一國兩制; 律師范某: 范 begins a name.
                        i += 1
                        continue outer
                    }
                    let text = String(String.UnicodeScalarView(cand.from.compactMap(Unicode.Scalar.init)))
                    let to = String(String.UnicodeScalarView(cand.to.compactMap(Unicode.Scalar.init)))
                    // A surname character inside the match may begin a name (師范某): report, never rewrite.
                    let renamesPerson = differing.contains { $0 > i && tables.isNameCharacter(c[$0]) }
                    result.append(Item(range: i..<end, text: text, forms: [to], fixable: !renamesPerson))
                    i = end
                    continue outer
                }
            }
            i += 1
        }
        return result
    }

    /// The word-level leftover that the Traditional `form` of the Simplified character at `k` begins
    /// (`关系`: 关 → 關 leaves 關系, which needs 關係), as one item over the word, so that one fix
    /// writes the word's form rather than a second run finding 關系. Nil when no entry matches there,
    /// or when `phraseHits` would pass the match over (an overlapping word, a name after a title).
    private func wordBegunByConversion(_ c: Scalars, _ k: Int, form: UInt32, limit: Range<Int>, tables: ScriptTables) -> Item? {
        guard let candidates = tables.phrases(startingWith: form) else { return nil }
        for cand in candidates where cand.from.count >= 2 && k + cand.from.count <= limit.upperBound {
            var match = true
            for j in 1..<cand.from.count where c[k + j] != cand.from[j] { match = false; break }
            guard match else { continue }
            let end = k + cand.from.count
            // The converted character is rewritten anyway: the word's own merge characters decide.
            let differing = cand.from.indices.filter { $0 > 0 && cand.from[$0] != cand.to[$0] }.map { $0 + k }
            if overlappedByWord(c, k..<end, differing: differing, frequency: cand.frequency, limit: limit)
                || startsName(c, differing, lower: limit.lowerBound)
                || differing.contains(where: { tables.isNameCharacter(c[$0]) }) { return nil }
            let text = String(String.UnicodeScalarView((k..<end).compactMap { Unicode.Scalar(c[$0]) }))
            let to = String(String.UnicodeScalarView(cand.to.compactMap(Unicode.Scalar.init)))
            return Item(range: k..<end, text: text, forms: [to])
        }
        return nil
    }

    /// `item` (one converted character, one form) grown over a neighbour on either side inside
    /// `limit` that is an accepted variant the document itself does not write (`HouseStyle.convertedVariants`):
    /// `状况` in a text that writes 況 elsewhere is fixed as 狀況 at once, not left as 狀况. The style
    /// is asked only when a neighbour is such a variant.
    private func withAcceptedNeighbours(_ item: Item, _ c: Scalars, _ skip: NonProse, limit: Range<Int>, style: inout LazyHouseStyle) -> Item {
        func accepted(_ k: Int) -> Bool {
            limit.contains(k) && !skip[k] && HouseStyle.acceptedVariants.contains { $0.variant == c[k] }
        }
        let k = item.range.lowerBound
        guard let form = item.forms.first, accepted(k - 1) || accepted(k + 1) else { return item }
        let converted = style.get(c).convertedVariants
        var range = item.range
        var text = item.text, to = form
        if accepted(k - 1), let before = converted[c[k - 1]], let original = Unicode.Scalar(c[k - 1]), let written = Unicode.Scalar(before) {
            range = (k - 1)..<range.upperBound
            text = String(Character(original)) + text
            to = String(Character(written)) + to
        }
        if accepted(k + 1), let after = converted[c[k + 1]], let original = Unicode.Scalar(c[k + 1]), let written = Unicode.Scalar(after) {
            range = range.lowerBound..<(k + 2)
            text += String(Character(original))
            to += String(Character(written))
        }
        return Item(range: range, text: text, forms: [to], fixable: item.fixable)
    }

    /// Word-boundary check: a Traditional word that overlaps the match without lying inside it is the
    /// reading when it holds a differing character as itself (一國兩制 over 制成, 系統 over 聯系,
    /// 皇后 over 后面), or when it takes the other character, is at least as frequent, and every
    /// differing character left outside it reads as itself alone (評點制|取得 is no 製取; 几|十年
    /// still needs 幾, 軍事關系 still needs 關係).
    private func overlappedByWord(_ c: Scalars, _ match: Range<Int>, differing: [Int], frequency: Int32, limit: Range<Int>) -> Bool {
        let first = max(limit.lowerBound, match.lowerBound - 3)
        for p in first..<match.upperBound {
            guard let words = tables.words(startingWith: c[p]) else { continue }
            for word in words {
                let end = p + word.scalars.count
                guard end <= limit.upperBound, end > match.lowerBound,
                      !(p >= match.lowerBound && end <= match.upperBound) else { continue }
                let covers = differing.contains { $0 >= p && $0 < end }
                guard covers || (word.frequency >= frequency && differing.allSatisfy({ tables.readsAsItselfAlone(c[$0]) })) else { continue }
                var same = true
                for (k, v) in word.scalars.enumerated() where c[p + k] != v { same = false; break }
                if same { return true }
            }
        }
        return false
    }

    /// A differing surname character right after a title (律師范某, 議員胡某) begins a name: the match
    /// (師范) crosses a word boundary.
    private func startsName(_ c: Scalars, _ differing: [Int], lower: Int) -> Bool {
        for k in differing where tables.isNameCharacter(c[k]) {
            for title in tables.titles where k - title.count >= lower {
                var same = true
                for (j, v) in title.enumerated() where c[k - title.count + j] != v { same = false; break }
                if same { return true }
            }
        }
        return false
    }
}
