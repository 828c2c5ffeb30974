import Foundation
import NewsLintCore
import Synchronization

/// `content-near-duplicate`: one-permutation MinHash over character shingles with LSH banding,
/// one finding per cluster on its canonical member.
/// Fact: exact-body hash + `permutations` (bins) × 2-byte signature (288 bytes by default) + the
/// front-matter date. Keeping 16 bits of each minimum (b-bit MinHash) halves the fact; two
/// different minima agree by chance with probability 2⁻¹⁶, a negligible bias on the similarity estimate.
public struct ContentNearDuplicateRule: CrossFileRule, RuleWithOptions {
    public static let id = "content-near-duplicate"
    public struct Fact: Codable, Sendable, Equatable, FactRecord {
        /// What a signature's values are, written with every fact in its JSON form (`--facts-out`):
        /// signatures of two schemes estimate nothing about each other, so `merge` refuses a fact of
        /// another scheme instead of comparing it. 2: one-permutation hashing with optimal
        /// densification over rolling shingle hashes; 1 (facts without the key): 144 independent
        /// permutations over FNV shingle hashes. The lint cache needs no mark: its key covers the build.
        public static let signatureScheme = 2
        public var hash: UInt64
        public var line: Int
        public var signature: [UInt16]
        /// The front-matter `date` (else a Jekyll file name's `YYYY-MM-DD-`) as minutes since
        /// 1970-01-01 00:00 of its own local time (the offset is ignored: the calendar day is the
        /// one the paper printed); nil without a date.
        public var minutes: Int64?
        /// The outlet that published the file (`ContentNearDuplicateRule.outlet(of:)`): a stable
        /// hash of its front-matter link's host; nil without an absolute link (the reduce then
        /// takes the file's directory for its outlet).
        public var outlet: UInt64?

        public init(hash: UInt64, line: Int, signature: [UInt16], minutes: Int64?, outlet: UInt64? = nil) {
            self.hash = hash
            self.line = line
            self.signature = signature
            self.minutes = minutes
            self.outlet = outlet
        }

        private enum CodingKeys: String, CodingKey { case hash, line, signature, minutes, outlet, scheme }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let scheme = try c.decodeIfPresent(Int.self, forKey: .scheme) ?? 1
            guard scheme == Self.signatureScheme else {
                throw DecodingError.dataCorruptedError(forKey: .scheme, in: c, debugDescription:
                    "signature scheme \(scheme) (another newslint version) cannot be compared with scheme \(Self.signatureScheme); re-run the shard with this newslint")
            }
            hash = try c.decode(UInt64.self, forKey: .hash)
            line = try c.decode(Int.self, forKey: .line)
            signature = try c.decode([UInt16].self, forKey: .signature)
            minutes = try c.decodeIfPresent(Int64.self, forKey: .minutes)
            outlet = try c.decodeIfPresent(UInt64.self, forKey: .outlet)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(hash, forKey: .hash)
            try c.encode(line, forKey: .line)
            try c.encode(signature, forKey: .signature)
            try c.encodeIfPresent(minutes, forKey: .minutes)
            try c.encodeIfPresent(outlet, forKey: .outlet)
            try c.encode(Self.signatureScheme, forKey: .scheme)
        }

        public func write(to record: inout FactRecordWriter) {
            signature.withUnsafeBufferPointer { Self.write(hash: hash, line: line, signature: $0, minutes: minutes, outlet: outlet, to: &record) }
        }

        /// The fact's fields as `write(to:)` writes them, the signature from a buffer: also what
        /// `collectRecord` writes from its temporary signature, so the layout is spelled once.
        static func write(hash: UInt64, line: Int, signature: UnsafeBufferPointer<UInt16>, minutes: Int64?, outlet: UInt64?,
                          to record: inout FactRecordWriter) {
            record.fixed64(hash)
            record.int(line)
            record.fixed16Array(signature)
            record.optionalFixed64(minutes.map { UInt64(bitPattern: $0) })
            record.optionalFixed64(outlet)
        }

        public init(record: inout FactRecordReader) throws {
            hash = try record.fixed64()
            line = try record.int()
            signature = try record.fixed16Array()
            minutes = try record.optionalFixed64().map { Int64(bitPattern: $0) }
            outlet = try record.optionalFixed64()
        }
    }
    package let options: Options
    /// The first probes of every empty bin's densification sequence, computed once per rule.
    package let probes: DensificationProbes
    /// Bytes of representatives' signatures the reduce keeps in memory before it moves them to a
    /// temporary file (`RepresentativeSignatures`): 4 MB, about 14,500 distinct bodies of 144 bins.
    package var signatureMemoryBudget = 4 << 20

    public struct Options: Decodable, Sendable {
        package var shingleSize: Int
        package var threshold: Double
        /// The signature's length: MinHash bins (the name is from when each was a permutation of its own).
        package var permutations: Int
        package var bands: Int
        package var minLength: Int
        /// Pairs whose front-matter dates are more than this many calendar days apart are never
        /// near-duplicates (daily template reports); -1: no limit.
        package var maxDateGapDays: Int
        /// A minimum shared by more than this many distinct bodies is boilerplate (a bio, a footer,
        /// a template sentence) and does not count towards similarity; 0: off.
        package var boilerplateFiles: Int
    }

    /// A finding on a file points at its fact's line.
    public static func quotedLine(of fact: Fact) -> Int? { fact.line }

    public init(options: RuleOptions) throws {
        let o = try Self.decodeOptions(options)
        self.options = o
        let (shingleSize, threshold, permutations, bands, minLength, maxDateGapDays, boilerplateFiles) =
            (o.shingleSize, o.threshold, o.permutations, o.bands, o.minLength, o.maxDateGapDays, o.boilerplateFiles)
        guard (1...32).contains(shingleSize) else { throw RuleOptionError(option: "shingleSize", message: "must be from 1 to 32 characters") }
        guard threshold > 0 && threshold <= 1 else { throw RuleOptionError(option: "threshold", message: "must be greater than 0 and at most 1") }
        guard (8...1024).contains(permutations) else { throw RuleOptionError(option: "permutations", message: "must be from 8 to 1024") }
        guard bands >= 1, bands <= permutations, permutations % bands == 0 else {
            throw RuleOptionError(option: "bands", message: "must divide permutations (\(permutations)) evenly")
        }
        guard minLength >= shingleSize else { throw RuleOptionError(option: "minLength", message: "must be at least shingleSize") }
        guard maxDateGapDays >= -1 else { throw RuleOptionError(option: "maxDateGapDays", message: "must be -1 (no limit) or a number of days") }
        guard boilerplateFiles >= 0 else { throw RuleOptionError(option: "boilerplateFiles", message: "must be 0 (off) or a number of files") }
        probes = DensificationProbes(bins: permutations)
    }

    public func collect(_ document: Document) -> Fact? { collect(document, budget: nil) }

    public func collect(_ document: Document, environment: LintEnvironment) -> Fact? {
        collect(document, budget: environment.collectBudget)
    }

    /// `budget` spent: no fact (a partial signature would match the wrong files), and the engine says so.
    package func collect(_ document: Document, budget: CollectBudget?) -> Fact? {
        let body = document.normalizedBody
        let s = body.scalars
        guard s.count >= options.minLength else { return nil }
        let exact = body.hash
        // The minima live only until the signature is made, in an array the last file let go
        // (`spareMinima`): 144 of them are over the 1 KB `withUnsafeTemporaryAllocation` puts on
        // the stack here, so each file allocated and freed them (~650 instructions).
        let bins = options.permutations
        var minima = Self.spareMinima.withLock { $0.popLast() } ?? []
        if minima.count != bins { minima = [UInt64](repeating: 0, count: bins) }
        let signature = minima.withUnsafeMutableBufferPointer { minima -> [UInt16]? in
            guard Self.lowerBinMinima(s, size: options.shingleSize, into: minima, budget: budget) else { return nil }
            return Self.densified(UnsafeBufferPointer(minima), probes: probes)
        }
        // Moved into the pool and let go inside the lock (a copy still held here would make the
        // next taker copy it).
        var pending: [UInt64]? = consume minima
        Self.spareMinima.withLock { kept in
            if kept.count < 8, let moved = pending.take() { kept.append(moved) }
        }
        guard let signature else { return nil }
        return Fact(hash: exact, line: document.bodyStartLine, signature: signature, minutes: Self.date(of: document),
                    outlet: Self.outlet(of: document))
    }

    /// The record `collect`'s fact writes (`CrossFileRule.collectRecord`: the tag, the hash, the
    /// line, the signature's count and bins, the minutes), with the signature densified into a
    /// temporary buffer (288 bytes on the stack by default) and copied into the record from there:
    /// the engine keeps only the record, so the fact's signature array was allocated for every
    /// file only to be copied and freed.
    public func collectRecord(_ document: Document, environment: LintEnvironment, index: Int, into writer: inout FactRecordWriter,
                              quotedLine: inout Int?, unrecorded: inout [(rule: Int, fact: any Sendable)]) {
        let body = document.normalizedBody
        let s = body.scalars
        guard s.count >= options.minLength else { return }
        let bins = options.permutations
        var minima = Self.spareMinima.withLock { $0.popLast() } ?? []
        if minima.count != bins { minima = [UInt64](repeating: 0, count: bins) }
        let budget = environment.collectBudget
        minima.withUnsafeMutableBufferPointer { minima in
            guard Self.lowerBinMinima(s, size: options.shingleSize, into: minima, budget: budget) else { return }
            withUnsafeTemporaryAllocation(of: UInt16.self, capacity: bins) { signature in
                Self.densify(UnsafeBufferPointer(minima), probes: probes, into: signature)
                let line = document.bodyStartLine
                writer.byte(FactRecordFormat.recordV1)
                Fact.write(hash: body.hash, line: line, signature: UnsafeBufferPointer(signature), minutes: Self.date(of: document),
                            outlet: Self.outlet(of: document), to: &writer)
                quotedLine = line
            }
        }
        var pending: [UInt64]? = consume minima
        Self.spareMinima.withLock { kept in
            if kept.count < 8, let moved = pending.take() { kept.append(moved) }
        }
    }

    /// Minima arrays kept between files (`collect`), at most 8 (1024 bins at most, as the options
    /// allow). A `Mutex` of this module, not `SpareArrays`: that class, generic in another module,
    /// looked up its element type's metadata at every call (+45 M at agora ×1).
    private static let spareMinima = Mutex<[[UInt64]]>([])

    // MARK: - One-permutation MinHash

    /// Base of the rolling shingle hash (odd).
    package static let rollingBase: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The bin of a mixed hash: ⌊x · bins / 2⁶⁴⌋, its high bits scaled to `bins` (uniform, one
    /// widening multiply instead of a division).
    @inline(__always)
    package static func bin(_ x: UInt64, bins: Int) -> Int { Int(truncatingIfNeeded: x.multipliedFullWidth(by: UInt64(bins)).high) }

    /// One-permutation MinHash (Li, Owen and Zhang 2012): every shingle hash goes to one of `bins`
    /// bins by its high bits and each bin keeps its minimum, `.max` when no shingle fell in it. One
    /// hash and one compare per shingle instead of one multiply-add per shingle and permutation;
    /// a repeated shingle cannot change a minimum, so repeats need no table.
    /// Shingle hash: the polynomial Σ s[i+j]·B^(k-1-j) mod 2⁶⁴, rolled one scalar at a time (two
    /// multiplies, where FNV over the window took k), then mixed (splitmix64), so the bin and
    /// the low bits kept in the signature are independent and uniform.
    /// Nil when `budget` ran out.
    package static func binMinima(_ scalars: [UInt32], size k: Int, bins: Int, budget: CollectBudget?) -> [UInt64]? {
        var minima = [UInt64](repeating: 0, count: bins)
        let finished = minima.withUnsafeMutableBufferPointer { lowerBinMinima(scalars, size: k, into: $0, budget: budget) }
        return finished ? minima : nil
    }

    /// `binMinima` into `m` (one slot per bin, filled here): false when `budget` ran out.
    package static func lowerBinMinima(_ scalars: [UInt32], size k: Int, into m: UnsafeMutableBufferPointer<UInt64>, budget: CollectBudget?) -> Bool {
        m.update(repeating: .max)
        let bins = m.count
        let count = scalars.count - k + 1
        guard count > 0 else { return true }
        var leavingWeight: UInt64 = 1 // B^k: the weight of the scalar leaving the window, once the window is multiplied by B
        for _ in 0..<k { leavingWeight = leavingWeight &* rollingBase }
        var stopped = false
        scalars.withUnsafeBufferPointer { s in
            // The next window's hash is h·B + (incoming − leaving·B^k): one multiply and one add
            // on the chain from one shingle to the next (the scalar terms are computed beside it),
            // where adding the incoming scalar and then taking the leaving one off took three steps.
            var h: UInt64 = 0
            for j in 0..<k { h = h &* rollingBase &+ UInt64(s[j]) }
            var i = 0
            let bins64 = UInt64(bins)
            // Shingle `i` (hash `h`) lowers its bin's minimum. Without a branch: whether it
            // does is a coin toss early in a body (a mispredicted branch for about a third of
            // the shingles).
            @inline(__always) func lower(_ h: UInt64) {
                let x = mix64(h)
                let b = Int(truncatingIfNeeded: x.multipliedFullWidth(by: bins64).high)
                m[b] = Swift.min(m[b], x)
            }
            // The budget is asked before shingles 0, 4096, 8192, …: once per chunk, not a
            // test of the index per shingle. Each shingle but the body's last is followed by
            // the roll to the next, so the loop has one exit, at its end (27 instructions a
            // shingle where the exit between the two halves took 33). Four shingles a step
            // (the rest one at a time): the loop's count, test and pointer step once for four.
            while true {
                if budget?.isOverBudget == true { stopped = true; return }
                let rollEnd = Swift.min(count &- 1, i &+ 4096)
                while i &+ 4 <= rollEnd {
                    lower(h)
                    h = h &* rollingBase &+ (UInt64(s[i &+ k]) &- UInt64(s[i]) &* leavingWeight)
                    lower(h)
                    h = h &* rollingBase &+ (UInt64(s[i &+ k &+ 1]) &- UInt64(s[i &+ 1]) &* leavingWeight)
                    lower(h)
                    h = h &* rollingBase &+ (UInt64(s[i &+ k &+ 2]) &- UInt64(s[i &+ 2]) &* leavingWeight)
                    lower(h)
                    h = h &* rollingBase &+ (UInt64(s[i &+ k &+ 3]) &- UInt64(s[i &+ 3]) &* leavingWeight)
                    i &+= 4
                }
                while i < rollEnd {
                    lower(h)
                    h = h &* rollingBase &+ (UInt64(s[i &+ k]) &- UInt64(s[i]) &* leavingWeight)
                    i &+= 1
                }
                if i == count &- 1 { lower(h); break }
            }
        }
        return !(stopped || budget?.stopped == true)
    }

    /// The signature: the 16 low bits of each bin's minimum (uniform and independent of the bin; the
    /// high bits of a minimum are small, so unrelated bodies would share them and the boilerplate
    /// guard would take them for boilerplate), an empty bin filled by optimal densification
    /// (Shrivastava 2017): it takes the value of the first filled bin in its own fixed pseudo-random
    /// sequence of bins. Both bodies of a pair walk the same sequence, so a filled bin still agrees
    /// with probability equal to the Jaccard similarity; short bodies (fewer shingles than bins)
    /// keep an unbiased estimate, from fewer independent values.
    /// `probes`, when given for `minima.count` bins, answers the first probes of each sequence from
    /// its table (the same bins `densificationProbe` computes): a short body leaves most bins empty,
    /// and each of them hashed its way to a filled one, for every short file.
    package static func densified(_ minima: [UInt64], probes: DensificationProbes? = nil) -> [UInt16] {
        minima.withUnsafeBufferPointer { densified($0, probes: probes) }
    }

    /// `densified` of minima in a buffer (`collect`'s, which are not an array). Written in place
    /// before it becomes an array (`Array(stagingCount:)`).
    package static func densified(_ minima: UnsafeBufferPointer<UInt64>, probes: DensificationProbes? = nil) -> [UInt16] {
        [UInt16](stagingCount: minima.count) { densify(minima, probes: probes, into: $0) }
    }

    /// `densified` written into `signature` (one entry per bin of `minima`).
    package static func densify(_ minima: UnsafeBufferPointer<UInt64>, probes: DensificationProbes?, into signature: UnsafeMutableBufferPointer<UInt16>) {
        let bins = minima.count
        let table = probes?.bins == bins ? probes : nil
        func probe(_ b: Int, _ attempt: UInt64, after donor: Int) -> Int {
            if let table, attempt <= UInt64(DensificationProbes.depth) { return table.probe(bin: b, attempt: attempt) }
            // After 4 096 misses (likely only when very few of very many bins are filled),
            // the next filled bin to the right: still fixed by which bins are empty.
            return attempt <= 4096 ? densificationProbe(bin: b, attempt: attempt, bins: bins) : (donor + 1) % bins
        }
        // The low bits, and a bit per empty bin, in one pass without a branch per bin; then
        // the empty bins only, from their bits. A test of every bin (in both passes) was a
        // branch that a partly filled signature (a body of fewer than ~700 shingles, most of
        // agora's) mispredicted at every change between filled and empty bins: 1.1% of a cold
        // run's time for 0.7% of its instructions.
        let words = (bins &+ 63) >> 6
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { emptyBits in
            var empty = 0
            for w in 0..<words {
                let first = w << 6
                var bits: UInt64 = 0
                for j in 0..<Swift.min(64, bins &- first) {
                    let v = minima[first &+ j]
                    signature[first &+ j] = UInt16(truncatingIfNeeded: v)
                    bits |= emptyBit(v) &<< UInt64(j)
                }
                emptyBits[w] = bits
                empty &+= bits.nonzeroBitCount
            }
            guard empty > 0, empty < bins else { return }
            for w in 0..<words {
                var bits = emptyBits[w]
                while bits != 0 {
                    let b = w << 6 | bits.trailingZeroBitCount
                    bits &= bits &- 1
                    var attempt: UInt64 = 1
                    var donor = probe(b, attempt, after: 0)
                    while minima[donor] == .max {
                        attempt += 1
                        donor = probe(b, attempt, after: donor)
                    }
                    signature[b] = signature[donor]
                }
            }
        }
    }

    /// 1 for an empty bin's minimum (`.max`), else 0, without a branch: `~v` is 0 only for `.max`,
    /// and for any other value `~v` or `v + 1` has its top bit set (the compiler made `v == .max ? 1 : 0`
    /// a branch).
    @inline(__always)
    package static func emptyBit(_ v: UInt64) -> UInt64 { 1 &- ((~v | (v &+ 1)) &>> 63) }

    /// `densificationProbe(bin:attempt:bins:)` for every bin and the first `depth` attempts.
    package struct DensificationProbes: Sendable {
        package static let depth = 32
        package let bins: Int
        private let table: [UInt16]

        package init(bins: Int) {
            self.bins = bins
            var table: [UInt16] = []
            table.reserveCapacity(bins * Self.depth)
            for b in 0..<bins {
                for attempt in 1...UInt64(Self.depth) {
                    table.append(UInt16(truncatingIfNeeded: ContentNearDuplicateRule.densificationProbe(bin: b, attempt: attempt, bins: bins)))
                }
            }
            self.table = table
        }

        /// Attempt `attempt` (1...depth) of bin `bin`.
        @inline(__always)
        package func probe(bin: Int, attempt: UInt64) -> Int {
            Int(table[bin &* Self.depth &+ Int(attempt) &- 1])
        }
    }

    /// The `attempt`-th bin (from 1) that an empty bin `bin` would copy: fixed per (bin, attempt).
    @inline(__always)
    package static func densificationProbe(bin: Int, attempt: UInt64, bins: Int) -> Int {
        self.bin(mix64((UInt64(bin) << 32 | attempt) ^ 0x6F70_6864_656E_7365), bins: bins)
    }

    /// The front-matter `date`, else the date a Jekyll post's file name starts with.
    package static func date(of document: Document) -> Int64? {
        // Read from the value's UTF-8 (a plain value's bytes in place: no string made for it).
        if let fm = document.frontMatter, let i = fm.index(of: .date),
           case let .some(.some(date)) = document.withFrontMatterScalarUTF8(ofEntry: i, { CalendarDate.leading(utf8: $0) }) { return date.minutesSinceEpoch }
        return CalendarDate.fileNamePrefix(document.path)?.minutesSinceEpoch
    }

    private static let linkKey = FrontMatterKey("link"), urlKey = FrontMatterKey("url")

    /// The outlet that published a file: `hostHash` of its front-matter `link`, else its `url`.
    package static func outlet(of document: Document) -> UInt64? {
        guard let fm = document.frontMatter else { return nil }
        // Two lookups, not a loop over an array of keys (an allocation a file).
        if let i = fm.index(of: linkKey), case let .some(.some(hash)) = document.withFrontMatterScalarUTF8(ofEntry: i, { hostHash(utf8: $0) }) {
            return hash
        }
        if let i = fm.index(of: urlKey), case let .some(.some(hash)) = document.withFrontMatterScalarUTF8(ofEntry: i, { hostHash(utf8: $0) }) {
            return hash
        }
        return nil
    }

    /// A stable hash of an absolute URL's host (`scheme://host[:port]/…`), lowercased and without
    /// a leading `www.`; nil for a relative link (a Jekyll `url: /2023/04/x/` names no outlet).
    package static func hostHash(utf8 b: UnsafeBufferPointer<UInt8>) -> UInt64? {
        // Asked of every file's link: the host is found and hashed in one pass, eight bytes a step
        // (a scan for its end, then a lowercasing hash a byte at a time, were most of the
        // near-duplicate fact's outlet).
        guard let p = b.baseAddress else { return nil }
        let raw = UnsafeRawPointer(p)
        let n = b.count
        var i = 0
        if n >= 8 {
            // `https://` and `http://`, their letters in any case (`| 0x20` folds only a letter's case).
            let w = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
            if w | 0x20_20_20_20_20 == 0x2F_2F_3A_73_70_74_74_68 { i = 5 } else if (w & 0x00FF_FFFF_FFFF_FFFF) | 0x20_20_20_20 == 0x2F_2F_3A_70_74_74_68 { i = 4 }
        }
        if i == 0 {
            while i < n, (p[i] | 0x20) &- UInt8(ascii: "a") < 26 { i += 1 }
            guard i > 0, i + 3 <= n, p[i] == UInt8(ascii: ":"), p[i + 1] == UInt8(ascii: "/"), p[i + 2] == UInt8(ascii: "/") else { return nil }
        }
        var start = i + 3
        // `www.` goes when the host goes on after it.
        if start + 4 < n, p[start] | 0x20 == UInt8(ascii: "w"), p[start + 1] | 0x20 == UInt8(ascii: "w"),
           p[start + 2] | 0x20 == UInt8(ascii: "w"), p[start + 3] == UInt8(ascii: "."), !endsHost(p[start + 4]) { start += 4 }
        var h = StableHash.fnvBasis
        var k = start
        // Words without an end of the host: their capitals lowered together, then hashed a byte at a time.
        while k + 8 <= n {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: k, as: UInt64.self))
            if ByteWords.has(0x2F, in: w) || ByteWords.has(0x3F, in: w) || ByteWords.has(0x23, in: w) || ByteWords.has(0x3A, in: w) { break }
            // A byte below 0x80 from 0x41 through 0x5A gets 0x20.
            let low = w & 0x7F7F_7F7F_7F7F_7F7F
            let capitals = (low &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(low &+ 0x2525_2525_2525_2525) & ~w & ByteWords.highs
            let lowered = w | capitals >> 2
            for shift in stride(from: 0 as UInt64, to: 64, by: 8) { h = (h ^ (lowered >> shift & 0xFF)) &* StableHash.fnvPrime }
            k += 8
        }
        while k < n {
            let c = p[k]
            if endsHost(c) { break }
            h = (h ^ UInt64(c &- UInt8(ascii: "A") < 26 ? c | 0x20 : c)) &* StableHash.fnvPrime
            k += 1
        }
        return k > start ? h : nil
    }

    /// `/`, `?`, `#` or `:`: the end of a URL's host (one test of a bit in a mask of the bytes below 0x40).
    @inline(__always)
    private static func endsHost(_ c: UInt8) -> Bool {
        let ends: UInt64 = 1 << 0x2F | 1 << 0x3F | 1 << 0x23 | 1 << 0x3A
        return c < 0x40 && ends >> UInt64(c) & 1 != 0
    }

    /// The file to keep among a cluster's `files` (sorted earliest first, undated last): the
    /// latest revision when the same outlet filed later versions of the earliest file's story within a
    /// day (a desk's successive updates: the later one supersedes the earlier, which keeping the
    /// earliest would keep), else the earliest (the original of a repost or a syndicated copy).
    /// `superseded`: the same outlet's files filed before the kept one. Same outlet: equal link hosts, or
    /// without a link on either file, the same directory.
    package static func fileToKeep(_ files: [(minutes: Int64?, outlet: UInt64?, path: String)]) -> (index: Int, superseded: Int) {
        guard let first = files.first, let start = first.minutes else { return (0, 0) }
        func directory(_ path: String) -> Substring { path[..<(path.lastIndex(of: "/") ?? path.startIndex)] }
        func sameOutlet(_ f: (minutes: Int64?, outlet: UInt64?, path: String)) -> Bool {
            switch (f.outlet, first.outlet) {
            case let (a?, b?): a == b
            case (nil, nil): directory(f.path) == directory(first.path)
            default: false
            }
        }
        let revisions = files.indices.filter { i in
            guard let m = files[i].minutes else { return false }
            return m >= start && m - start <= 1440 && sameOutlet(files[i])
        }
        var keep = 0
        for i in revisions where files[i].minutes ?? start > files[keep].minutes ?? start { keep = i }
        guard keep != 0, let latest = files[keep].minutes else { return (0, 0) }
        return (keep, revisions.filter { (files[$0].minutes ?? latest) < latest }.count)
    }

    package static func similarity(_ a: [UInt16], _ b: [UInt16]) -> Double { similarity(a[...], b[...]) }

    package static func similarity(_ a: ArraySlice<UInt16>, _ b: ArraySlice<UInt16>) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        var same = 0
        for i in 0..<a.count where a[a.startIndex + i] == b[b.startIndex + i] { same += 1 }
        return Double(same) / Double(a.count)
    }

    /// Minima shared by more than `limit` distinct bodies, per bin: one bit per
    /// (bin, 16-bit value), 8 KB per bin.
    package struct CommonMinima {
        private var bits: [UInt64]
        package private(set) var isEmpty = true

        package init(signatures: [[UInt16]], permutations: Int, limit: Int) {
            self.init(flat: signatures.flatMap { $0 }, count: signatures.count, permutations: permutations, limit: limit)
        }

        /// `flat`: `count` signatures of `permutations` minima each, one after the other.
        package init(flat: [UInt16], count: Int, permutations: Int, limit: Int) {
            var unused: [UInt64] = []
            self.init(flat: flat, count: count, permutations: permutations, limit: limit, excludedWords: 0, excluded: &unused)
        }

        /// The common bits and, when `excludedWords` > 0, each rep's `ExcludedMinima` bits
        /// (`excludedWords` words a rep, set in `excluded`, which holds `count` reps' words) in the
        /// same two passes per bin: the first counts each value, the second marks the values over
        /// the limit, for the value and for the rep, and resets the counters of the others. The
        /// counters of values over the limit are reset last, from their own list. (Three passes per
        /// bin and a separate pass over every (rep, bin) for the excluded bits were ~45 instructions
        /// a (rep, bin) at agora ×1.)
        package init(flat: [UInt16], count: Int, permutations: Int, limit: Int, excludedWords: Int, excluded: inout [UInt64]) {
            bits = []
            guard limit > 0, count > limit else { return }
            bits = [UInt64](repeating: 0, count: permutations * 1024)
            var counts = [UInt32](repeating: 0, count: 65536)
            var over: [UInt16] = []
            var found = false
            let limit = UInt32(clamping: limit)
            flat.withUnsafeBufferPointer { flat in
                counts.withUnsafeMutableBufferPointer { counts in
                    bits.withUnsafeMutableBufferPointer { bits in
                        excluded.withUnsafeMutableBufferPointer { excluded in
                            guard let base = flat.baseAddress else { return }
                            for p in 0..<permutations {
                                var value = base + p
                                for _ in 0..<count {
                                    counts[Int(value.pointee)] &+= 1
                                    value += permutations
                                }
                                let word = p >> 6, bit: UInt64 = 1 << UInt64(p & 63)
                                // The bin's values by their index in `flat`, the loop's only counter: a
                                // value over the limit (few) finds its rep as the index over `permutations`.
                                // (A rep counter and a pointer beside it cost four instructions more a
                                // (rep, bin), ~4 M at agora ×1.)
                                let end = count &* permutations
                                var k = p
                                while k < end {
                                    let v = Int(base[k])
                                    let c = counts[v]
                                    if c > limit {
                                        let common = p &* 65536 &+ v
                                        let mask: UInt64 = 1 << UInt64(common & 63)
                                        if bits[common >> 6] & mask == 0 {
                                            bits[common >> 6] |= mask
                                            over.append(UInt16(truncatingIfNeeded: v))
                                        }
                                        if excludedWords > 0 { excluded[(k / permutations) &* excludedWords &+ word] |= bit }
                                        found = true
                                    } else {
                                        counts[v] = 0
                                    }
                                    k &+= permutations
                                }
                                for v in over { counts[Int(v)] = 0 }
                                over.removeAll(keepingCapacity: true)
                            }
                        }
                    }
                }
            }
            isEmpty = !found
        }

        /// The same bits from signatures read back in blocks (a file past the memory budget): the
        /// bins are counted in groups of 16 (4 MB of counters) in one pass over the signatures
        /// each, where the in-memory form reads every rep three times per bin.
        package init(signatures: RepresentativeSignatures, limit: Int) {
            bits = []
            let count = signatures.count, permutations = signatures.width
            guard limit > 0, count > limit else { return }
            var bits = [UInt64](repeating: 0, count: permutations * 1024)
            let group = 16
            var counts = [UInt32](repeating: 0, count: group * 65536)
            var found = false
            for first in stride(from: 0, to: permutations, by: group) {
                let end = Swift.min(first + group, permutations)
                counts.withUnsafeMutableBufferPointer { counts in
                    counts.update(repeating: 0)
                    signatures.forEachBlock { _, flat in
                        for r in 0..<(flat.count / permutations) {
                            let base = r * permutations
                            for p in first..<end { counts[(p - first) << 16 | Int(flat[base + p])] += 1 }
                        }
                    }
                }
                // A value over the limit was present: setting its bit from the counters sets
                // the bits the per-rep pass of the in-memory form sets.
                counts.withUnsafeBufferPointer { counts in
                    for p in first..<end {
                        for v in 0..<65536 where counts[(p - first) << 16 | v] > limit {
                            let bit = p * 65536 + v
                            bits[bit >> 6] |= 1 << UInt64(bit & 63)
                            found = true
                        }
                    }
                }
            }
            self.bits = bits
            isEmpty = !found
        }

        @inline(__always)
        package func contains(_ p: Int, _ value: UInt16) -> Bool {
            guard !isEmpty else { return false }
            let bit = p * 65536 + Int(value)
            return bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0
        }
    }

    /// Per signature, one bit per bin whose minimum is boilerplate (`common`), in 64-bit words:
    /// a pair's usable bins are then one OR per word instead of two lookups per bin.
    package struct ExcludedMinima {
        package let words: Int
        private var bits: [UInt64]

        package init(signatures: [[UInt16]], common: CommonMinima) {
            self.init(flat: signatures.flatMap { $0 }, count: signatures.count, permutations: signatures.first?.count ?? 0, common: common)
        }

        /// The boilerplate minima of `count` signatures in `flat` and each one's excluded bits,
        /// counted together (`CommonMinima.init(flat:count:permutations:limit:excludedWords:excluded:)`).
        package static func withCommon(flat: [UInt16], count: Int, permutations: Int, limit: Int) -> (common: CommonMinima, excluded: ExcludedMinima) {
            let words = (permutations + 63) / 64
            var bits = [UInt64](repeating: 0, count: words * count)
            let common = CommonMinima(flat: flat, count: count, permutations: permutations, limit: limit, excludedWords: words, excluded: &bits)
            return (common, ExcludedMinima(words: words, bits: bits))
        }

        private init(words: Int, bits: [UInt64]) {
            self.words = words
            self.bits = bits
        }

        /// `flat`: `count` signatures of `permutations` minima each, one after the other.
        package init(flat: [UInt16], count: Int, permutations: Int, common: CommonMinima) {
            words = (permutations + 63) / 64
            bits = [UInt64](repeating: 0, count: words * count)
            guard !common.isEmpty else { return }
            for r in 0..<count {
                for p in 0..<permutations where common.contains(p, flat[r * permutations + p]) { bits[r * words + p >> 6] |= 1 << UInt64(p & 63) }
            }
        }

        /// The same bits from signatures read back in blocks.
        package init(signatures: RepresentativeSignatures, common: CommonMinima) {
            let permutations = signatures.width
            let words = (permutations + 63) / 64
            self.words = words
            var bits = [UInt64](repeating: 0, count: words * signatures.count)
            if !common.isEmpty {
                bits.withUnsafeMutableBufferPointer { bits in
                    signatures.forEachBlock { first, flat in
                        for i in 0..<(flat.count / permutations) {
                            let row = (first + i) * words, base = i * permutations
                            for p in 0..<permutations where common.contains(p, flat[base + p]) { bits[row + p >> 6] |= 1 << UInt64(p & 63) }
                        }
                    }
                }
            }
            self.bits = bits
        }

        @inline(__always)
        package func word(_ signature: Int, _ w: Int) -> UInt64 { bits[signature * words + w] }

        /// Every signature's words, `words` a signature.
        @inline(__always)
        package func withUnsafeBits<T>(_ body: (UnsafeBufferPointer<UInt64>) -> T) -> T { bits.withUnsafeBufferPointer(body) }
    }

    /// `similarity(a, b, excluding: common)` for signatures `x` and `y` of `excluded` (built from
    /// the same `common`), with the same counts and therefore the same value.
    package static func similarity(_ a: ArraySlice<UInt16>, _ b: ArraySlice<UInt16>, _ x: Int, _ y: Int, excluded: ExcludedMinima, common: CommonMinima) -> Double {
        guard !common.isEmpty else { return similarity(a, b) }
        guard a.count == b.count, !a.isEmpty else { return 0 }
        var same = 0, usable = 0
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for w in 0..<excluded.words {
                    let lo = w * 64, hi = Swift.min(lo + 64, a.count)
                    var equal: UInt64 = 0
                    for p in lo..<hi where a[p] == b[p] { equal |= 1 << UInt64(p - lo) }
                    let inRange: UInt64 = hi - lo == 64 ? .max : (1 << UInt64(hi - lo)) - 1
                    let use = ~(excluded.word(x, w) | excluded.word(y, w)) & inRange
                    usable += use.nonzeroBitCount
                    same += (equal & use).nonzeroBitCount
                }
            }
        }
        return usable >= max(8, a.count / 16) ? Double(same) / Double(usable) : 0
    }

    /// Whether reps `x` and `y` (signatures `a`, `b`) could get the same key in a band after
    /// `band`: every row of that band is boilerplate in both or holds the same minimum in both,
    /// and one is not boilerplate (a band of boilerplate only has no key). A pair that does not is
    /// never a candidate again; one that does is remembered as compared. (Equal keys from unequal
    /// rows, a 64-bit hash collision, would only compare a pair twice, to the same result.)
    package static func mayShareBand(after band: Int, rows: Int, bands: Int, _ a: ArraySlice<UInt16>, _ b: ArraySlice<UInt16>,
                                     _ x: Int, _ y: Int, excluded: ExcludedMinima) -> Bool {
        guard band + 1 < bands else { return false }
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for later in (band + 1)..<bands {
                    var content = false, same = true
                    for j in (later * rows)..<((later + 1) * rows) {
                        let bit: UInt64 = 1 << UInt64(j & 63)
                        let boilerplateX = excluded.word(x, j >> 6) & bit != 0
                        let boilerplateY = excluded.word(y, j >> 6) & bit != 0
                        if boilerplateX != boilerplateY || (!boilerplateX && a[j] != b[j]) { same = false; break }
                        if !boilerplateX { content = true }
                    }
                    if same && content { return true }
                }
                return false
            }
        }
    }

    /// Estimated Jaccard similarity over the permutations where neither minimum is boilerplate;
    /// 0 when too few are left to estimate (bodies that are mostly boilerplate).
    package static func similarity(_ a: [UInt16], _ b: [UInt16], excluding common: CommonMinima) -> Double {
        similarity(a[...], b[...], excluding: common)
    }

    package static func similarity(_ a: ArraySlice<UInt16>, _ b: ArraySlice<UInt16>, excluding common: CommonMinima) -> Double {
        guard !common.isEmpty else { return similarity(a, b) }
        guard a.count == b.count, !a.isEmpty else { return 0 }
        var same = 0, usable = 0
        for p in 0..<a.count {
            let x = a[a.startIndex + p], y = b[b.startIndex + p]
            guard !common.contains(p, x) && !common.contains(p, y) else { continue }
            usable += 1
            if x == y { same += 1 }
        }
        return usable >= max(8, a.count / 16) ? Double(same) / Double(usable) : 0
    }

    /// Each rep's key in `band` (reps with a content row only, in rep order) written to `hashes`,
    /// with the rep at the same place in `reps` (room for every rep in both: two arrays hold 12
    /// bytes a rep, an array of pairs 16); returns how many. Up to three bins (the default 144/48) are packed
    /// into one word, 17 bits each (a boilerplate bin is 0x1_0000), and mixed once: equal words are
    /// exactly equal bins. More bins per band chain the mix per bin. A bin is boilerplate by the
    /// rep's own excluded bits (a few words it owns), not the common table (1.2 MB, a cache miss
    /// per bin). On the buffers: the array form was ~90 instructions a rep and band.
    package static func bandKeys(band: Int, rows: Int, signatures: RepresentativeSignatures, excluded: ExcludedMinima,
                                 into hashes: UnsafeMutableBufferPointer<UInt64>, reps repsOut: UnsafeMutableBufferPointer<Int32>) -> Int {
        let width = signatures.width, words = excluded.words
        let packs = rows <= 3
        let seed = UInt64(band) &* 0x9E37_79B9_7F4A_7C15
        let firstBin = band &* rows
        var count = 0
        excluded.withUnsafeBits { excludedBits in
            signatures.forEachBlock { first, flat in
                guard let base = flat.baseAddress else { return }
                let reps = flat.count / width
                if packs, let bitsBase = excludedBits.baseAddress {
                    // The band's excluded bits of a rep, `rows` low bits (bin firstBin + j at bit j),
                    // from the one or two words they lie in; a band of boilerplate only has no key.
                    let word = firstBin >> 6, shift = UInt64(firstBin & 63)
                    let spills = (firstBin & 63) + rows > 64
                    let all: UInt64 = (1 << UInt64(rows)) - 1
                    // A local count (the captured one was stored and reloaded per key).
                    var written = count
                    if rows == 3 && !spills {
                        // The default (144 bins in 48 bands, a band's bits in one word) in a loop of its
                        // own, the rep's bits and bins reached by pointers stepped rep by rep: the loop
                        // below tested `rows` and `spills` and multiplied out both offsets at every key
                        // (~16 instructions a key more, 5.5 M at agora ×1).
                        var own = bitsBase + (first &* words &+ word)
                        var row = base + firstBin
                        for i in 0..<reps {
                            let boilerplate = (own.pointee &>> shift) & all
                            let packed = UInt64(row[0]) << 34 | UInt64(row[1]) << 17 | UInt64(row[2])
                            own += words
                            row += width
                            guard boilerplate != all else { continue }
                            hashes[written] = packedBandKey(seed ^ (boilerplate == 0 ? packed : Self.markingBoilerplate(packed, boilerplate, rows: rows)))
                            repsOut[written] = Int32(truncatingIfNeeded: first &+ i)
                            written &+= 1
                        }
                        count = written
                        return
                    }
                    for i in 0..<reps {
                        let r = first &+ i
                        let own = bitsBase + (r &* words &+ word)
                        var boilerplate = own.pointee &>> shift
                        if spills { boilerplate |= own[1] &<< (64 &- shift) }
                        boilerplate &= all
                        guard boilerplate != all else { continue }
                        let row = base + (i &* width &+ firstBin)
                        var packed: UInt64 = 0
                        if rows == 3 {
                            // The default (144 bins in 48 bands) without the loop.
                            packed = UInt64(row[0]) << 34 | UInt64(row[1]) << 17 | UInt64(row[2])
                        } else {
                            for j in 0..<rows { packed = packed << 17 | UInt64(row[j]) }
                        }
                        // Boilerplate bins (rare) become 0x1_0000 in their 17-bit field afterwards:
                        // a test per bin on the way in was ~68 instructions a key.
                        if boilerplate != 0 { packed = Self.markingBoilerplate(packed, boilerplate, rows: rows) }
                        hashes[written] = packedBandKey(seed ^ packed)
                        repsOut[written] = Int32(truncatingIfNeeded: r)
                        written &+= 1
                    }
                    count = written
                    return
                }
                for i in 0..<reps {
                    let r = first &+ i
                    let row = i &* width &+ firstBin
                    let ownBits = r &* words
                    var h = seed
                    var content = false
                    for j in 0..<rows {
                        let bin = firstBin &+ j
                        let value: UInt64
                        if (excludedBits[ownBits &+ (bin >> 6)] &>> UInt64(bin & 63)) & 1 != 0 {
                            value = 0x1_0000
                        } else {
                            value = UInt64(flat[row &+ j])
                            content = true
                        }
                        h = mix64(h ^ value)
                    }
                    if content {
                        hashes[count] = h
                        repsOut[count] = Int32(truncatingIfNeeded: r)
                        count &+= 1
                    }
                }
            }
        }
        return count
    }

    /// A band of packed bins (`rows` ≤ 3) as its key: a multiply by an odd constant and the high
    /// half folded into the low (the bucket's slot is the low bits). Both steps are one-to-one, so
    /// keys are equal exactly when the packed bins are, as with `mix64` (also one-to-one), in ~5
    /// instructions where `mix64` took ~14 (335,000 keys at agora ×1). The keys only group reps
    /// within a band, in rep order: nothing else sees them.
    @inline(__always)
    package static func packedBandKey(_ packed: UInt64) -> UInt64 {
        let m = packed &* 0x9E37_79B9_7F4A_7C15
        return m ^ (m &>> 32)
    }

    /// `packed` (`rows` ≤ 3 bins of 17 bits, bin 0 highest) with each bin whose bit is set in
    /// `boilerplate` (bin j at bit j) replaced by 0x1_0000, the value a boilerplate bin packs as.
    @inline(__always)
    package static func markingBoilerplate(_ packed: UInt64, _ boilerplate: UInt64, rows: Int) -> UInt64 {
        // One bit at the bottom of each boilerplate bin's field.
        var spread: UInt64 = 0
        for j in 0..<rows { spread |= ((boilerplate &>> UInt64(j)) & 1) &<< UInt64(17 &* (rows &- 1 &- j)) }
        return packed & ~(spread &* 0x1_FFFF) | spread &<< 16
    }

    public func finish(_ facts: FactTable<Fact>, into sink: inout CrossFileSink) {
        let width = options.permutations
        // One representative per exact body; its copies (content-duplicate's findings) share its
        // cluster and its signature. Only representatives' signatures are kept (a corpus of copies
        // keeps one per distinct body), in memory up to a budget and in a temporary file past it,
        // with their days. A rep's copies are a chain through `nextCopy` (4 bytes a file; an array
        // per rep cost ~48 bytes a distinct body), each new copy linked right after its rep (the
        // chain reads rep, newest, …, oldest; no last copy kept per rep).
        // Reps by exact-body hash: a table of rep numbers sized once for every fact, not a
        // `Dictionary` (its 12-byte entries at up to twice the reps, plus the old table while it
        // grew, were the largest part of this reduce's peak on a corpus of distinct bodies).
        var repOfHash = FirstSeenKeys(expected: facts.count)
        var reps: [Int32] = []
        var nextCopy = [Int32](repeating: -1, count: facts.count)
        let signatures = RepresentativeSignatures(width: width, memoryBudget: signatureMemoryBudget)
        signatures.reserve(representatives: facts.count)
        /// The calendar day of each rep's date, `undated` without one (4 bytes, where `Int64?` took
        /// 16). A day outside `Int32` (only a damaged or made-up fact: that is 5.8 million years)
        /// is `farDay` here and exact in `farDays`, keyed by rep.
        let undated = Int32.min, farDay = Int32.min + 1
        var repDays: [Int32] = []
        var farDays: [Int: Int64] = [:]
        /// Fact `i` (hash, minutes, signature given to `append` only for a new rep) into the reps.
        func add(_ i: Int, hash: UInt64, minutes: Int64?, append: () -> Void) {
            let (r, isNew) = repOfHash.number(hash)
            if !isNew {
                let rep = Int(reps[r])
                nextCopy[i] = nextCopy[rep]
                nextCopy[rep] = Int32(truncatingIfNeeded: i)
            } else {
                // Grown by doubling up to the fact count, not past it (a corpus of distinct
                // bodies has nearly as many reps as files: the last doubling was ~0.7 of them spare).
                if reps.count == reps.capacity {
                    let room = min(max(16, 2 * reps.count), facts.count)
                    reps.reserveCapacity(room)
                    repDays.reserveCapacity(room)
                }
                reps.append(Int32(truncatingIfNeeded: i))
                append()
                if let m = minutes {
                    let day = m >= 0 ? m / 1440 : (m - 1439) / 1440
                    if let near = Int32(exactly: day), near != undated, near != farDay {
                        repDays.append(near)
                    } else {
                        farDays[reps.count - 1] = day
                        repDays.append(farDay)
                    }
                } else {
                    repDays.append(undated)
                }
            }
        }
        for i in facts.indices {
            // The record read in place (`FactTable.withRecord`): a copy's signature is skipped and a
            // rep's copied from its bytes into the store, where decoding every fact made an array
            // of each signature (~1,080 instructions a fact with the copies; a corpus of copies
            // is mostly copies). Every field is read before anything is added, so a record that
            // does not read adds nothing and is decoded (or stood in for) below.
            let inPlace = facts.withRecord(i) { record in
                let hash = try record.fixed64()
                _ = try record.int()
                let signature = try record.fixed16ArrayBytes()
                let minutes = try record.optionalFixed64().map { Int64(bitPattern: $0) }
                _ = try record.optionalFixed64()
                guard record.atEnd else { throw CompactCoderError.trailingBytes }
                guard signature.count == 2 * width else { return }
                add(i, hash: hash, minutes: minutes) { signatures.append(littleEndian: signature) }
            }
            if inPlace { continue }
            let fact = facts.fact(i)
            guard fact.signature.count == width else { continue }
            add(i, hash: fact.hash, minutes: fact.minutes) { signatures.append(fact.signature) }
        }
        repOfHash = FirstSeenKeys(expected: 0)
        signatures.finishAppending()
        signatures.fallback = { [reps] r in facts.fact(Int(reps[r])).signature }
        guard reps.count > 1 else { return }
        // Minima that many distinct bodies share are boilerplate; with 16-bit minima, about
        // n/65536 bodies share a value by chance, so the limit grows on very large corpora (a
        // value masked by chance only drops one permutation from the estimate).
        let limit = options.boilerplateFiles == 0 ? 0 : max(options.boilerplateFiles, 4 * reps.count / 65536)
        let (common, excluded) = signatures.isInMemory
            ? signatures.withFlatInMemory { ExcludedMinima.withCommon(flat: $0, count: reps.count, permutations: width, limit: limit) }
            : { let common = CommonMinima(signatures: signatures, limit: limit); return (common, ExcludedMinima(signatures: signatures, common: common)) }()
        func withinDateGap(_ x: Int, _ y: Int) -> Bool {
            let a32 = repDays[x], b32 = repDays[y]
            guard options.maxDateGapDays >= 0, a32 != undated, b32 != undated else { return true }
            let a = a32 == farDay ? farDays[x] ?? 0 : Int64(a32), b = b32 == farDay ? farDays[y] ?? 0 : Int64(b32)
            return abs(a - b) <= Int64(options.maxDateGapDays)
        }
        let rows = width / options.bands
        var sets = DisjointSets(reps.count)
        // Pairs compared, found dissimilar, that may meet again in a later band: a candidate
        // pair meets in one band only nearly always (580,000 of 598,000 at 40,000 synthetic
        // bodies), so remembering every pair compared (16-24 MB there) bought almost nothing.
        var failed = PairSet()
        // Band by band: group reps by band hash and compare within each group; memory stays O(files).
        // Boilerplate minima count as a wildcard in a band; a band of boilerplate only is skipped.
        var keyHashes = [UInt64](repeating: 0, count: reps.count)
        var keyReps = [Int32](repeating: 0, count: reps.count)
        var buckets = BandBuckets()
        for band in 0..<options.bands {
            let keyCount = keyHashes.withUnsafeMutableBufferPointer { hashes in
                keyReps.withUnsafeMutableBufferPointer { keyReps in
                    Self.bandKeys(band: band, rows: rows, signatures: signatures, excluded: excluded, into: hashes, reps: keyReps)
                }
            }
            keyHashes.withUnsafeBufferPointer { hashes in
                keyReps.withUnsafeBufferPointer { keyReps in
                    buckets.group(hashes: UnsafeBufferPointer(rebasing: hashes[..<keyCount]), reps: UnsafeBufferPointer(rebasing: keyReps[..<keyCount]))
                }
            }
            buckets.forEachGroup { members in
                // Huge buckets (templated stubs) are compared against a few anchors only.
                let first = members.startIndex
                let anchors = members.count > 64 ? first..<(first + 8) : members.indices
                for a in anchors {
                    for b in (a + 1)..<members.endIndex {
                        let x = Int(members[a]), y = Int(members[b])
                        // A pair already in one cluster cannot change it, and the date gap is
                        // the same in every band: both asked again instead of remembered.
                        guard sets.find(x) != sets.find(y), withinDateGap(x, y) else { continue }
                        let pair = UInt64(min(x, y)) << 32 | UInt64(max(x, y))
                        guard !failed.contains(pair) else { continue }
                        let similar = signatures.withPair(x, y) { sx, sy -> Bool in
                            if Self.similarity(sx, sy, x, y, excluded: excluded, common: common) >= options.threshold { return true }
                            if Self.mayShareBand(after: band, rows: rows, bands: options.bands, sx, sy, x, y, excluded: excluded) { failed.insert(pair) }
                            return false
                        }
                        if similar { sets.union(x, y) }
                    }
                }
            }
        }
        failed = PairSet()
        keyHashes = []
        keyReps = []
        buckets = BandBuckets()
        // Clusters of two or more reps only: a list per rep (most are alone) was ~70 bytes a
        // distinct body at the end of the reduce.
        var clusterSizes = [Int32](repeating: 0, count: reps.count)
        for r in 0..<reps.count { clusterSizes[sets.find(r)] += 1 }
        var clusters: [Int: [Int]] = [:]
        for r in 0..<reps.count {
            let root = sets.find(r)
            if clusterSizes[root] > 1 { clusters[root, default: []].append(r) }
        }
        clusterSizes = []
        for members in clusters.values where members.count > 1 {
            // Canonical order: the earliest date (undated last), then the shortest path, then the path.
            var files: [(file: Int, rep: Int, minutes: Int64, outlet: UInt64?, path: String)] = []
            for r in members {
                // The rep, then its copies in file order (the chain holds them newest first).
                var copy = Int(reps[r])
                var fact = facts.fact(copy)
                files.append((copy, r, fact.minutes ?? .max, fact.outlet, facts.path(copy)))
                let copies = files.count
                copy = Int(nextCopy[copy])
                while copy >= 0 {
                    fact = facts.fact(copy)
                    files.append((copy, r, fact.minutes ?? .max, fact.outlet, facts.path(copy)))
                    copy = Int(nextCopy[copy])
                }
                files[copies...].reverse()
            }
            files.sort { a, b in
                if a.minutes != b.minutes { return a.minutes < b.minutes }
                if a.path.utf8.count != b.path.utf8.count { return a.path.utf8.count < b.path.utf8.count }
                return a.path < b.path
            }
            let (keep, superseded) = Self.fileToKeep(files.map { ($0.minutes == .max ? nil : $0.minutes, $0.outlet, $0.path) })
            guard files.indices.contains(keep) else { continue }
            let canonical = files[keep]
            var rest = files
            rest.remove(at: keep)
            let others = rest.lazy.map { other -> String in
                let s = other.rep == canonical.rep ? 1 : signatures.withPair(canonical.rep, other.rep) { Self.similarity($0, $1, excluding: common) }
                return "\(other.path) (\(Int((s * 100).rounded()))%)"
            }
            let earlier = superseded == files.count - 1 ? (superseded == 1 ? "the other" : "the others") : "\(superseded) of the others"
            let why = superseded == 0 ? "earliest date, then shortest path"
                : "the latest revision: the same outlet filed \(earlier) up to a day earlier, and a later revision supersedes \(superseded == 1 ? "an earlier one" : "earlier ones"); keep it"
            sink.report(path: canonical.path, line: facts.fact(canonical.file).line,
                        "canonical member of a near-duplicate cluster of \(files.count) files (\(why)); the others: \(listing(others, total: files.count - 1))")
        }
    }
}

/// One band's reps grouped by their band hash, members of a group in the order they were given
/// (ascending reps): the candidate pairs a sort by
/// (hash, rep) finds in its equal runs, without the sort (48 sorts of every rep were most of the
/// reduce's time). Only how pairs are enumerated across groups differs, and the clusters do not
/// depend on that: each pair is compared once and unions commute.
package struct BandBuckets {
    /// Open addressing by hash: `stamp` + the index + 1 of the group's first key; a value at or
    /// below `stamp` is empty (a slot left by an earlier band). A slot's hash is that key's. 4
    /// bytes a slot (1.3–2.7 slots a key).
    private var slots: [Int32] = []
    /// What this band's slot values start above: the next band's starts above this band's keys,
    /// so the table is not zeroed for each band (48 writes of 64 KB at agora ×1, ~3.1 M
    /// instructions as the C library counts them). Zeroed, and back to 0, when the table is
    /// resized or a value would pass `stampLimit`.
    private var stamp = 0
    /// The largest slot value (`Int32.max`; tests lower it to reach the zeroing).
    private let stampLimit: Int
    /// Per key, written only for keys whose group it concerns: a group's first key holds its last
    /// member so far (`last`), and each member of a group of two or more the next one (`next`, -1
    /// at its end). A key alone in its group (nearly all of them) costs one slot and one `last`.
    private var last: [Int32] = []
    private var next: [Int32] = []
    /// First keys of the groups of two or more, in the order their second member came.
    private var multiple: [Int32] = []
    /// The reps of those groups, group after group, and where each group's end is.
    private var members: [Int32] = []
    private var ends: [Int32] = []

    package init() { stampLimit = Int(Int32.max) }

    /// Buckets whose slot values stay at or below `stampLimit` (tests: the table is then zeroed
    /// and its stamp restarted every few bands).
    package init(stampLimit: Int) { self.stampLimit = stampLimit }

    /// Groups keys (band hash `hashes[k]` of rep `reps[k]`): one probe per key, and a chain link
    /// only for keys that join a group (the arrays appended per key were ~80 instructions a key,
    /// 48 times a rep).
    package mutating func group(hashes: UnsafeBufferPointer<UInt64>, reps: UnsafeBufferPointer<Int32>) {
        precondition(hashes.count == reps.count, "a rep for every band hash")
        let keys = hashes
        // At most three quarters full (4 bytes a slot).
        var capacity = 16
        while 3 * capacity < 4 * keys.count { capacity *= 2 }
        if slots.count != capacity {
            slots = [Int32](repeating: 0, count: capacity)
            stamp = 0
        } else if keys.count > stampLimit - stamp {
            slots.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            stamp = 0
        }
        let stamp = self.stamp
        precondition(keys.count <= stampLimit - stamp, "a slot value for every key")
        // The next band's values start above every value written here.
        self.stamp = stamp + keys.count
        if last.count < keys.count {
            last = [Int32](repeating: 0, count: keys.count)
            next = [Int32](repeating: 0, count: keys.count)
        }
        multiple.removeAll(keepingCapacity: true)
        members.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        let mask = capacity - 1
        slots.withUnsafeMutableBufferPointer { slots in
            last.withUnsafeMutableBufferPointer { last in
                next.withUnsafeMutableBufferPointer { next in
                    for k in 0..<keys.count {
                        let hash = keys[k]
                        var slot = Int(truncatingIfNeeded: hash) & mask
                        while true {
                            let first = Int(slots[slot]) &- stamp
                            if first <= 0 {
                                slots[slot] = Int32(truncatingIfNeeded: stamp &+ k &+ 1)
                                last[k] = Int32(truncatingIfNeeded: k)
                                break
                            }
                            if keys[first &- 1] == hash {
                                let head = first &- 1
                                let tail = Int(last[head])
                                if tail == head { multiple.append(Int32(truncatingIfNeeded: head)) }
                                next[tail] = Int32(truncatingIfNeeded: k)
                                next[k] = -1
                                last[head] = Int32(truncatingIfNeeded: k)
                                break
                            }
                            slot = (slot &+ 1) & mask
                        }
                    }
                    // Members of the groups of two or more, each group's in key order.
                    for head in multiple {
                        var k = Int(head)
                        while k >= 0 {
                            members.append(reps[k])
                            k = Int(next[k])
                        }
                        ends.append(Int32(truncatingIfNeeded: members.count))
                    }
                }
            }
        }
    }

    /// Each group of two or more members, its members in key order, groups in the order their
    /// second member came.
    package func forEachGroup(_ body: (ArraySlice<Int32>) -> Void) {
        var start = 0
        for end in ends {
            body(members[start..<Int(end)])
            start = Int(end)
        }
    }
}

/// Distinct 64-bit keys numbered 0, 1, … in the order they first come: open addressing over
/// `Int32` numbers + 1 (0: empty), sized once for `expected` keys at most three quarters full, and
/// each number's key in `keys`: 8 bytes a distinct key and 4 bytes a slot (1.3-2.7 slots an
/// expected key), where a `[UInt64: Int32]` held 12 bytes a bucket at up to 2.7 buckets a key, and
/// both its tables while it grew (4.8 MB at 160,000 distinct bodies, the near-duplicate reduce's
/// largest allocation). Keys should be mixed (their low bits pick the slot); more than `expected`
/// keys still work: the table then grows.
package struct FirstSeenKeys {
    private var slots: [Int32]
    /// Key of each number.
    package private(set) var keys: [UInt64] = []
    private let expected: Int

    package init(expected: Int) {
        self.expected = max(0, expected)
        slots = [Int32](repeating: 0, count: Self.capacity(for: expected))
    }

    /// Number of distinct keys seen.
    package var count: Int { keys.count }

    /// `key`'s number, and whether it was numbered now (its first time).
    @inline(__always)
    package mutating func number(_ key: UInt64) -> (number: Int, isNew: Bool) {
        if 4 * (keys.count + 1) > 3 * slots.count { rehash(capacity: 2 * slots.count) }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let n = Int(slots[slot])
            if n == 0 { break }
            if keys[n &- 1] == key { return (n &- 1, false) }
            slot = (slot &+ 1) & mask
        }
        // Grown by doubling up to the expected count, not past it (reps of distinct bodies are
        // nearly all the files: the last doubling was ~0.7 of them spare).
        if keys.count == keys.capacity { keys.reserveCapacity(min(max(16, 2 * keys.count), max(expected, keys.count + 1))) }
        keys.append(key)
        slots[slot] = Int32(truncatingIfNeeded: keys.count)
        return (keys.count - 1, true)
    }

    /// A power of two, at least 16, with `count` keys at most three quarters of it.
    private static func capacity(for count: Int) -> Int {
        var capacity = 16
        while 3 * capacity < 4 * count { capacity *= 2 }
        return capacity
    }

    private mutating func rehash(capacity: Int) {
        slots = [Int32](repeating: 0, count: capacity)
        let mask = capacity - 1
        for (n, key) in keys.enumerated() {
            var slot = Int(truncatingIfNeeded: key) & mask
            while slots[slot] != 0 { slot = (slot &+ 1) & mask }
            slots[slot] = Int32(truncatingIfNeeded: n + 1)
        }
    }
}

/// A set of pairs (`min << 32 | max` of two distinct indices, never 0) with open addressing: the
/// band loop asks it once per candidate pair, where `Set`'s seeded SipHash was a visible share.
package struct PairSet {
    private var slots = [UInt64](repeating: 0, count: 1024)
    private var count = 0

    /// Whether `pair` (not 0) was inserted.
    package func contains(_ pair: UInt64) -> Bool {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: mix64(pair)) & mask
        while slots[slot] != 0 {
            if slots[slot] == pair { return true }
            slot = (slot &+ 1) & mask
        }
        return false
    }

    /// Inserts `pair` (not 0); false when it was already present.
    @discardableResult
    package mutating func insert(_ pair: UInt64) -> Bool {
        if 2 * (count + 1) > slots.count { grow() }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: mix64(pair)) & mask
        while slots[slot] != 0 {
            if slots[slot] == pair { return false }
            slot = (slot &+ 1) & mask
        }
        slots[slot] = pair
        count += 1
        return true
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        count = 0
        for pair in old where pair != 0 { _ = insert(pair) }
    }
}
