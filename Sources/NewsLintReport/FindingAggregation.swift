import NewsLintCore
import NewsLintRules
import NewsLintEngine

/// Many findings of one kind in one file are one problem to an editor: a zero-width space pasted
/// into 691 places, or one leftover word repeated through an article. Listing each buries every
/// other finding, so in the listings people read (text, concise, GitHub annotations) identical
/// findings (same rule, message and kind of fix) at or above a threshold are shown as one, at the
/// first occurrence, with the count, the lines and one fix holding every occurrence's edits.
///
/// Presentation only: totals, exit status, baselines, `--statistics`, fixing and the machine
/// formats (JSON, JSON Lines, SARIF, JUnit) see every occurrence.
public enum FindingAggregation {
    /// Identical findings in one file from which they are reported as one (`--aggregate N`).
    public static let defaultThreshold = 10

    /// Findings that read as the same problem.
    package struct Kind: Hashable {
        package var rule: String
        package var message: String
        package var applicability: Applicability?
    }

    public static func apply<C: Collection>(_ diagnostics: C, threshold: Int) -> [Diagnostic] where C.Element == Diagnostic {
        guard threshold > 1, diagnostics.count >= threshold else { return Array(diagnostics) }
        // Read in place (an array or a slice of one): no copy of each finding to compare its kind.
        if let out = diagnostics.withContiguousStorageIfAvailable({ apply(buffer: $0, threshold: threshold) }) { return out }
        return Array(diagnostics).withUnsafeBufferPointer { apply(buffer: $0, threshold: threshold) }
    }

    private static func apply(buffer diagnostics: UnsafeBufferPointer<Diagnostic>, threshold: Int) -> [Diagnostic] {
        // Members of each kind, by index. Findings of one kind mostly come one after another, so
        // the previous finding's kind is compared first (strings decoded from the spill share
        // storage: comparing them is a pointer check).
        var kinds = KindTable()
        var groups: [[Int]] = []
        groups.reserveCapacity(min(diagnostics.count, KindTable.linearLimit))
        var previous: (kind: Kind, group: Int)?
        for i in diagnostics.indices {
            let applicability = diagnostics[i].fix?.applicability
            if let p = previous, p.kind.rule == diagnostics[i].rule, p.kind.applicability == applicability, p.kind.message == diagnostics[i].message {
                groups[p.group].append(i)
                continue
            }
            let kind = Kind(rule: diagnostics[i].rule, message: diagnostics[i].message, applicability: applicability)
            let group: Int
            if let g = kinds.group(of: kind) {
                group = g
            } else {
                group = groups.count
                kinds.add(kind)
                groups.append([])
            }
            groups[group].append(i)
            previous = (kind, group)
        }
        var merged: [Int: Diagnostic] = [:]
        var absorbed = [Bool](repeating: false, count: diagnostics.count)
        var absorbedCount = 0
        for members in groups where members.count >= threshold {
            func precedes(_ a: Int, _ b: Int) -> Bool {
                (diagnostics[a].line, diagnostics[a].column, a) < (diagnostics[b].line, diagnostics[b].column, b)
            }
            // In output order already, unless other files' findings were mixed in by the caller.
            let ordered = zip(members, members.dropFirst()).allSatisfy { precedes($0, $1) } ? members : members.sorted(by: precedes)
            guard let one = merge(diagnostics, members: ordered) else { continue }
            merged[ordered[0]] = one
            for i in ordered.dropFirst() { absorbed[i] = true }
            absorbedCount += ordered.count - 1
        }
        guard !merged.isEmpty else { return Array(diagnostics) }
        var out: [Diagnostic] = []
        out.reserveCapacity(diagnostics.count - absorbedCount)
        for i in diagnostics.indices where !absorbed[i] { out.append(merged[i] ?? diagnostics[i]) }
        return out
    }

    /// A file's kinds, numbered as they come: compared one by one while there are few (`==` on
    /// two messages stops where they differ, where hashing a long non-ASCII message for a
    /// dictionary normalised all of it: ~3,400 instructions a lookup), by a dictionary past that.
    /// The kinds are pairwise unequal, so either way finds the one kind equal to the one asked for.
    private struct KindTable {
        static let linearLimit = 32
        private var kinds: [Kind] = []
        private var numbers: [Kind: Int]?

        func group(of kind: Kind) -> Int? {
            if let numbers { return numbers[kind] }
            return kinds.firstIndex(of: kind)
        }

        mutating func add(_ kind: Kind) {
            if let count = numbers?.count {
                numbers?[kind] = count
                return
            }
            kinds.append(kind)
            if kinds.count > Self.linearLimit {
                numbers = Dictionary(uniqueKeysWithValues: zip(kinds, kinds.indices))
                kinds = []
            }
        }
    }

    /// The group as one finding, or nil when its fixes overlap (then each is kept as it is).
    package static func merge(_ group: [Diagnostic]) -> Diagnostic? {
        merge(group, members: Array(group.indices))
    }

    /// The same for `members` (indices into `diagnostics`, in line order): fields are read in
    /// place, not through a copy of every member.
    package static func merge(_ diagnostics: [Diagnostic], members: [Int]) -> Diagnostic? {
        diagnostics.withUnsafeBufferPointer { merge($0, members: members) }
    }

    private static func merge(_ diagnostics: UnsafeBufferPointer<Diagnostic>, members: [Int]) -> Diagnostic? {
        guard let head = members.first else { return nil }
        var first = diagnostics[head]
        var lines: [Int] = []
        for i in members where lines.last != diagnostics[i].line { lines.append(diagnostics[i].line) }
        let shown = lines.prefix(5).map(String.init).joined(separator: ", ") + (lines.count > 5 ? ", …" : "")
        first.message += " (\(members.count) times in this file, on line\(lines.count == 1 ? "" : "s") \(shown))"
        if let fix = first.fix {
            var edits: [Edit] = []
            edits.reserveCapacity(members.count)
            for i in members { diagnostics[i].fix?.forEachEdit { edits.append($0) } }
            func precedes(_ a: Edit, _ b: Edit) -> Bool { (a.range.lowerBound, a.range.upperBound) < (b.range.lowerBound, b.range.upperBound) }
            if !zip(edits, edits.dropFirst()).allSatisfy({ !precedes($1, $0) }) { edits.sort(by: precedes) }
            for (a, b) in zip(edits, edits.dropFirst()) where a.range.upperBound > b.range.lowerBound { return nil }
            first.fix = Fix(fix.applicability, "\(fix.description) (all \(members.count))", edits: edits)
        }
        return first
    }
}
