import Foundation

/// The body as a sequence of comparable scalars: front matter dropped, whitespace
/// (ASCII, NBSP, ideographic space, zero-width) removed, full-width ASCII and half-width
/// CJK punctuation folded to one width, so re-typeset copies compare equal.
enum BodyNormalizer {
    @inline(__always)
    static func fold(_ s: UInt32) -> UInt32? {
        switch s {
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x3000, 0x200B, 0xFEFF: return nil
        case 0xFF01...0xFF5E: return s - 0xFEE0
        case 0xFF61: return 0x3002 // ｡ -> 。
        case 0xFF62: return 0x300C
        case 0xFF63: return 0x300D
        case 0xFF64: return 0x3001 // ､ -> 、
        default: return s
        }
    }

    /// Calls `body` with each normalised scalar of the document body.
    static func forEach(_ document: Document, _ body: (UInt32) -> Void) {
        let bytes = document.bytes[document.bodyStart...]
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let (s, n) = UTF8Validation.decode(bytes, at: i)
            i += n
            if let f = fold(s) { body(f) }
        }
    }

    static func scalars(_ document: Document) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(max(0, document.bytes.count - document.bodyStart) / 3)
        forEach(document) { out.append($0) }
        return out
    }
}

/// Stable 64-bit mixing (splitmix64 finaliser).
@inline(__always)
func mix64(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// Hash of the normalised body (FNV-1a over scalars, then mixed) and its length.
func normalizedBodyHash(_ document: Document) -> (hash: UInt64, length: Int) {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    var n = 0
    BodyNormalizer.forEach(document) { s in
        h = (h ^ UInt64(s)) &* 0x0000_0100_0000_01B3
        n += 1
    }
    return (mix64(h ^ UInt64(n)), n)
}

/// Union-find over indices, for grouping duplicates.
struct DisjointSets {
    var parent: [Int]
    init(_ n: Int) { parent = Array(0..<n) }
    mutating func find(_ x: Int) -> Int {
        var r = x
        while parent[r] != r { r = parent[r] }
        var y = x
        while parent[y] != r { let next = parent[y]; parent[y] = r; y = next }
        return r
    }
    mutating func union(_ a: Int, _ b: Int) {
        let ra = find(a), rb = find(b)
        if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
    }
}

/// `content-duplicate`: bodies identical after normalisation. Fact: 8-byte hash, length, line.
public struct ContentDuplicateRule: CrossFileRule {
    public static let id = "content-duplicate"
    /// 16 bytes, kept for every file until the reduce phase. The JSON form is unchanged.
    public struct Fact: Codable, Sendable, Equatable {
        public var hash: UInt64
        private var length32: UInt32
        private var line32: UInt32

        public init(hash: UInt64, length: Int, line: Int) {
            self.hash = hash
            length32 = UInt32(clamping: length)
            line32 = UInt32(clamping: line)
        }

        public var length: Int { Int(length32) }
        public var line: Int { Int(line32) }

        enum CodingKeys: String, CodingKey { case hash, length, line }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            hash = try c.decode(UInt64.self, forKey: .hash)
            length32 = try c.decode(UInt32.self, forKey: .length)
            line32 = try c.decode(UInt32.self, forKey: .line)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(hash, forKey: .hash)
            try c.encode(length, forKey: .length)
            try c.encode(line, forKey: .line)
        }
    }
    let minLength: Int

    public init(options: RuleOptions) throws {
        minLength = options.int("minLength", 10)
        guard minLength >= 1 else { throw RuleOptionError(option: "minLength", message: "must be at least 1") }
    }

    public func collect(_ document: Document) -> Fact? {
        let (hash, length) = normalizedBodyHash(document)
        guard length >= minLength else { return nil }
        return Fact(hash: hash, length: length, line: document.bodyStartLine)
    }

    public func finish(_ facts: [FileFact<Fact>], into sink: inout CrossFileSink) {
        struct Key: Hashable { var hash: UInt64; var length: Int }
        let groups = ChainGroups(facts.lazy.map { Key(hash: $0.fact.hash, length: $0.fact.length) })
        for (i, f) in facts.enumerated() {
            let size = groups.size(of: i)
            guard size > 1 else { continue }
            let others = groups.members(of: i).lazy.filter { $0 != i }.map { facts[$0].path }
            sink.report(path: f.path, line: f.fact.line,
                        "body is identical to \(listing(others, total: size - 1)) (group of \(size) files)")
        }
    }
}

/// Files grouped by equal keys, as chains through index arrays: two `Int32`s per file and one
/// dictionary entry per distinct key during the build, no array per group (most groups of a
/// cross-file reduce have one member, and 100k one-element arrays were most of its working set).
/// Members come in index order.
struct ChainGroups {
    /// Per file: its group's first member, and the next member of its group (-1 at the end).
    private var first: [Int32]
    private var next: [Int32]
    /// Group size, stored at the group's first member.
    private var sizes: [Int32]

    init<S: Sequence>(_ keys: S) where S.Element: Hashable {
        first = []; next = []; sizes = []
        var heads: [S.Element: (first: Int32, last: Int32)] = [:]
        for (n, key) in keys.enumerated() {
            let i = Int32(truncatingIfNeeded: n)
            next.append(-1)
            sizes.append(0)
            if let h = heads[key] {
                next[Int(h.last)] = i
                heads[key] = (h.first, i)
                first.append(h.first)
            } else {
                heads[key] = (i, i)
                first.append(i)
            }
            sizes[Int(first[n])] += 1
        }
    }

    func size(of i: Int) -> Int { Int(sizes[Int(first[i])]) }

    func members(of i: Int) -> UnfoldFirstSequence<Int> {
        sequence(first: Int(first[i])) { [next] j in next[j] < 0 ? nil : Int(next[j]) }
    }
}

/// `content-near-duplicate`: MinHash over character shingles with LSH banding.
/// Fact: exact-body hash + `permutations` × 2-byte signature (288 bytes by default).
/// Keeping 16 bits of each minimum (b-bit MinHash) halves the fact; two different minima
/// agree by chance with probability 2⁻¹⁶, a negligible bias on the similarity estimate.
public struct ContentNearDuplicateRule: CrossFileRule {
    public static let id = "content-near-duplicate"
    public struct Fact: Codable, Sendable, Equatable {
        public var hash: UInt64
        public var line: Int
        public var signature: [UInt16]
    }
    let shingleSize: Int
    let threshold: Double
    let permutations: Int
    let bands: Int
    let minLength: Int
    /// Per-permutation odd multipliers and offsets: x -> a·x + b (mod 2⁶⁴) is a bijection,
    /// so its minimum over the (pre-mixed) shingle hashes is a MinHash sample at the cost of
    /// one multiply-add per permutation.
    let multipliers: [UInt64]
    let offsets: [UInt64]

    public init(options: RuleOptions) throws {
        shingleSize = options.int("shingleSize", 5)
        threshold = options.double("threshold", 0.5)
        permutations = options.int("permutations", 144)
        bands = options.int("bands", 48)
        minLength = options.int("minLength", 50)
        guard (1...32).contains(shingleSize) else { throw RuleOptionError(option: "shingleSize", message: "must be from 1 to 32 characters") }
        guard threshold > 0 && threshold <= 1 else { throw RuleOptionError(option: "threshold", message: "must be greater than 0 and at most 1") }
        guard (8...1024).contains(permutations) else { throw RuleOptionError(option: "permutations", message: "must be from 8 to 1024") }
        guard bands >= 1, bands <= permutations, permutations % bands == 0 else {
            throw RuleOptionError(option: "bands", message: "must divide permutations (\(permutations)) evenly")
        }
        guard minLength >= shingleSize else { throw RuleOptionError(option: "minLength", message: "must be at least shingleSize") }
        multipliers = (0..<permutations).map { mix64(UInt64($0) &* 0x2545_F491_4F6C_DD1D &+ 0x51) | 1 }
        offsets = (0..<permutations).map { mix64(UInt64($0) &+ 0x9E37_79B9) }
    }

    public func collect(_ document: Document) -> Fact? {
        let s = BodyNormalizer.scalars(document)
        guard s.count >= minLength else { return nil }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for x in s { h = (h ^ UInt64(x)) &* 0x0000_0100_0000_01B3 }
        let exact = mix64(h ^ UInt64(s.count))
        // Distinct shingle hashes first: repeated phrases do not cost extra permutations.
        var shingles = Set<UInt64>()
        shingles.reserveCapacity(s.count)
        let k = shingleSize
        for i in 0...(s.count - k) {
            var sh: UInt64 = 0xcbf2_9ce4_8422_2325
            for j in i..<(i + k) { sh = (sh ^ UInt64(s[j])) &* 0x0000_0100_0000_01B3 }
            shingles.insert(mix64(sh))
        }
        var mins = [UInt64](repeating: .max, count: permutations)
        multipliers.withUnsafeBufferPointer { a in
            offsets.withUnsafeBufferPointer { b in
                mins.withUnsafeMutableBufferPointer { m in
                    for sh in shingles {
                        for p in 0..<a.count {
                            let v = sh &* a[p] &+ b[p]
                            if v < m[p] { m[p] = v }
                        }
                    }
                }
            }
        }
        return Fact(hash: exact, line: document.bodyStartLine, signature: mins.map { UInt16(truncatingIfNeeded: $0 >> 48) })
    }

    static func similarity(_ a: [UInt16], _ b: [UInt16]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        var same = 0
        for i in 0..<a.count where a[i] == b[i] { same += 1 }
        return Double(same) / Double(a.count)
    }

    public func finish(_ facts: [FileFact<Fact>], into sink: inout CrossFileSink) {
        // One representative per exact body; its copies (content-duplicate's findings) share its group.
        var repOfHash: [UInt64: Int] = [:]
        var reps: [Int] = []
        var copies: [[Int]] = []
        for (i, f) in facts.enumerated() where f.fact.signature.count == permutations {
            if let r = repOfHash[f.fact.hash] {
                copies[r].append(i)
            } else {
                repOfHash[f.fact.hash] = reps.count
                reps.append(i)
                copies.append([i])
            }
        }
        guard reps.count > 1 else { return }
        let rows = permutations / bands
        var sets = DisjointSets(reps.count)
        var compared = Set<UInt64>()
        // Band by band: sort (bandHash, rep) pairs and compare within equal runs; memory stays O(files).
        var keys: [(UInt64, Int32)] = []
        keys.reserveCapacity(reps.count)
        for band in 0..<bands {
            keys.removeAll(keepingCapacity: true)
            for (r, i) in reps.enumerated() {
                var h: UInt64 = UInt64(band) &* 0x9E37_79B9_7F4A_7C15
                let sig = facts[i].fact.signature
                for j in (band * rows)..<((band + 1) * rows) { h = mix64(h ^ UInt64(sig[j])) }
                keys.append((h, Int32(r)))
            }
            keys.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            var start = 0
            while start < keys.count {
                var end = start + 1
                while end < keys.count && keys[end].0 == keys[start].0 { end += 1 }
                if end - start > 1 {
                    // Huge buckets (templated stubs) are compared against a few anchors only.
                    let anchors = end - start > 64 ? start..<(start + 8) : start..<end
                    for a in anchors {
                        for b in (a + 1)..<end {
                            let x = Int(keys[a].1), y = Int(keys[b].1)
                            let pair = UInt64(min(x, y)) << 32 | UInt64(max(x, y))
                            guard compared.insert(pair).inserted else { continue }
                            let s = Self.similarity(facts[reps[x]].fact.signature, facts[reps[y]].fact.signature)
                            if s >= threshold {
                                sets.union(x, y)
                            }
                        }
                    }
                }
                start = end
            }
        }
        var groups: [Int: [Int]] = [:]
        for r in 0..<reps.count { groups[sets.find(r), default: []].append(r) }
        for r in 0..<reps.count {
            guard let members = groups[sets.find(r)], members.count > 1 else { continue }
            let sig = facts[reps[r]].fact.signature
            // Every file with this body, naming the files of the other (non-identical) bodies.
            let otherReps = members.filter { $0 != r }
            let total = otherReps.reduce(0) { $0 + copies[$1].count }
            let others = otherReps.lazy.flatMap { o -> LazyMapSequence<[Int], String> in
                let percent = Int((Self.similarity(sig, facts[reps[o]].fact.signature) * 100).rounded())
                return copies[o].lazy.map { "\(facts[$0].path) (\(percent)%)" }
            }
            let text = listing(others, total: total)
            for i in copies[r] {
                sink.report(path: facts[i].path, line: facts[i].fact.line, "near-duplicate body: similar to \(text)")
            }
        }
    }
}
